import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import { cliPath } from '@akmatori/test-support/app/server-process';

// `akmatori migrate --gateway-role ROLE`: the one-shot step of the compose and Kubernetes
// deployments that migrates and grants the standalone gateway's restricted role, run as a user
// runs it (the built command line).

let databaseUrl: string;
let roleUrl: string;
const role = `akm_gw_${randomBytes(4).toString('hex')}`;

function migrate(args: string[], env: Record<string, string>): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [cliPath, 'migrate', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

async function asRole<T>(query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: roleUrl });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  databaseUrl = await createPostgresDatabase();
  const password = randomBytes(12).toString('hex');
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  await owner.query(`create role ${role} login password '${password}'`);
  await owner.end();
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = password;
  roleUrl = url.toString();
});

afterAll(async () => {
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  await owner.query(`drop owned by ${role}`).catch(() => {});
  await owner.end();
});

describe('akmatori migrate --gateway-role', () => {
  it('refuses a role name that is not a plain PostgreSQL name, before touching the database', () => {
    const result = migrate(['--gateway-role', 'gw; drop table users'], {
      DATABASE_URL: databaseUrl,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('role must be a plain lower-case PostgreSQL name');
    expect(result.stdout).not.toContain('migrations applied');
  });

  it('migrates, then gives the role exactly what the gateway reads, and nothing else', async () => {
    const result = migrate(['--gateway-role', role], { DATABASE_URL: databaseUrl });
    expect(result.status, String(result.stderr)).toBe(0);
    expect(result.stdout).toContain('migrations applied');
    expect(result.stdout).toContain('gateway role granted');

    await asRole(async (client) => {
      await expect(client.query('select count(*) from tool_instances')).resolves.toBeDefined();
      await expect(client.query('select count(*) from gateway_settings')).resolves.toBeDefined();
      await expect(client.query('select * from settings')).rejects.toThrow(/permission denied/);
      await expect(client.query('select * from users')).rejects.toThrow(/permission denied/);
    });
  });

  it('grants again on an up-to-date database (every deployment runs it at each start)', () => {
    const again = migrate(['--gateway-role', role], { DATABASE_URL: databaseUrl });
    expect(again.status, String(again.stderr)).toBe(0);
    expect(again.stdout).toContain('database already up to date');
    expect(again.stdout).toContain('gateway role granted');
  });

  it('says the option needs PostgreSQL when run on the embedded database', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-migrate-'));
    try {
      const result = migrate(['--gateway-role', role], { AKMATORI_DATA_DIR: dataDir });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('--gateway-role needs PostgreSQL');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
