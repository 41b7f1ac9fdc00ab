import { generateSecretKey, SecretBox } from '@akmatori/host';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { createApp } from '../create-app.js';
import { createTestHost } from '@akmatori/host/testing';
import { rotateSecrets } from './rotate-secrets.js';

describe('akmatori secrets rotate', () => {
  it('re-seals every stored secret under the new key, after which the old key is not needed', async () => {
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const database = await openTestDatabase('embedded');
    try {
      // An install running on the old key: a generated run token signing key, a source with a
      // webhook secret and a tool with a password.
      const before = await createTestHost({
        app: createApp,
        database,
        config: { secretKey: oldKey.toString('base64') },
      });
      const setup = await before.inject({
        method: 'POST',
        url: '/auth/setup',
        payload: { password: 'rotation-password' },
      });
      const token = setup.json<{ token: string }>().token;
      const source = await before.inject({
        method: 'POST',
        url: '/api/alert-sources',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          source_type_name: 'alertmanager',
          name: 'rotating',
          webhook_secret: 'the-webhook-secret',
        },
      });
      const uuid = source.json<{ uuid: string }>().uuid;
      const tool = await before.inject({
        method: 'POST',
        url: '/api/tools',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          tool_type_name: 'zabbix',
          name: 'rotating-zabbix',
          settings: {
            api_url: 'https://zabbix.example.com/api_jsonrpc.php',
            username: 'akmatori',
            password: 'the-zabbix-password',
          },
        },
      });
      expect(tool.statusCode, tool.body).toBe(201);
      const toolId = tool.json<{ id: string }>().id;
      await before.close();

      const rotating = new SecretBox(newKey, [oldKey]);
      expect(await rotateSecrets(database, rotating)).toEqual([
        // the run token signing key (sessions are stored by hash, nothing signs them)
        { what: 'settings', rotated: 1, current: 0 },
        { what: 'alert source webhook secrets', rotated: 1, current: 0 },
        { what: 'tool instance secrets', rotated: 1, current: 0 },
        { what: 'run recordings', rotated: 0, current: 0 },
      ]);
      expect(await rotateSecrets(database, rotating)).toEqual([
        { what: 'settings', rotated: 0, current: 1 },
        { what: 'alert source webhook secrets', rotated: 0, current: 1 },
        { what: 'tool instance secrets', rotated: 0, current: 1 },
        { what: 'run recordings', rotated: 0, current: 0 },
      ]);
      const stored = await database.executeSql<{ secrets: Record<string, string> }>(
        'select secrets from tool_instances where id = $1',
        [toolId],
      );
      expect(
        new SecretBox(newKey).open(stored.rows[0]!.secrets.password!, `tool:${toolId}:password`),
      ).toBe('the-zabbix-password');

      // Only the new key from now on: logins still verify and the webhook secret still opens.
      const after = await createTestHost({
        app: createApp,
        database,
        config: { secretKey: newKey.toString('base64') },
      });
      try {
        expect(
          (
            await after.inject({
              method: 'POST',
              url: '/auth/login',
              payload: { username: 'admin', password: 'rotation-password' },
            })
          ).statusCode,
        ).toBe(200);
        const webhook = await after.inject({
          method: 'POST',
          url: `/webhook/alert/${uuid}`,
          headers: { authorization: 'Bearer the-webhook-secret' },
          payload: { version: '4', status: 'firing', alerts: [] },
        });
        expect(webhook.statusCode).toBe(202);
      } finally {
        await after.close();
      }
    } finally {
      await database.close();
    }
  });

  it('changes nothing when a value needs a key that is not configured', async () => {
    const database = await openTestDatabase('embedded');
    try {
      await database.migrate();
      const stranger = new SecretBox(generateSecretKey()).seal('x', 'some.setting');
      await database.executeSql(
        "insert into settings (key, value) values ('some.setting', $1::jsonb)",
        [JSON.stringify(stranger)],
      );
      await expect(
        rotateSecrets(database, new SecretBox(generateSecretKey())),
      ).rejects.toMatchObject({ code: 'AKM_SECRET_UNKNOWN_KEY' });
      const row = await database.executeSql<{ value: string }>(
        "select value from settings where key = 'some.setting'",
      );
      expect(row.rows[0]?.value).toBe(stranger);
    } finally {
      await database.close();
    }
  });
});
