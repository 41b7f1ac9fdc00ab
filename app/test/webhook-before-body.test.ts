import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// A webhook request is judged by its URL and headers before its body is read: an unknown
// source or a wrong secret is answered while the sender is still sending, and the connection is
// closed, so a 5 MiB body costs the server nothing. Raw sockets, against the built server.

const FIVE_MIB = 5 * 1024 * 1024;
const SENT = 64 * 1024;

/**
 * Sends a request announcing a 5 MiB JSON body, then only its first 64 KiB, and never the
 * rest. Resolves with what the server answered once it closed the connection. Were the server
 * to read the body before answering, it would wait for the rest and this would never resolve.
 */
function sendHeadersAndPartOfTheBody(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ answer: string; sent: number }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    const done = (): void => resolve({ answer, sent });
    socket.on('connect', () => {
      const head = [
        `POST ${pathname} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${FIVE_MIB}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      socket.write(Buffer.concat([Buffer.from('{"alerts":['), Buffer.alloc(SENT - 11, 0x20)]));
      sent = SENT;
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.on('end', done);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the whole answer arrived is the server dropping the unread body.
      if (error.code === 'ECONNRESET' && answer.includes('\r\n\r\n')) done();
      else reject(error);
    });
  });
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const headerOf = (answer: string, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(answer.split('\r\n\r\n')[0] ?? '')?.[1]?.trim();

describe('a webhook request refused before its body is read (real server, raw socket)', () => {
  let akmatori: SpawnedAkmatori;
  let alertmanagerUrl: string;
  let disabledUrl: string;

  beforeAll(async () => {
    akmatori = await startAkmatori({ LOG_LEVEL: 'warn' });
    alertmanagerUrl = akmatori.webhookUrl(
      await akmatori.createSource({
        source_type_name: 'alertmanager',
        name: 'am',
        webhook_secret: 'the-alertmanager-secret',
      }),
    );
    disabledUrl = akmatori.webhookUrl(
      await akmatori.createSource({
        source_type_name: 'alertmanager',
        name: 'off',
        webhook_secret: 'the-alertmanager-secret',
        enabled: false,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await akmatori?.stop();
  });

  it('answers 404 to 5 MiB for an unknown source after 64 KiB of it, and closes the connection', async () => {
    const { answer, sent } = await sendHeadersAndPartOfTheBody(
      `${akmatori.url}/webhook/alert/${randomUUID()}`,
    );
    expect(sent).toBeLessThan(FIVE_MIB / 50);
    expect(statusOf(answer), answer).toBe(404);
    expect(answer).toContain('AKM_SOURCE_NOT_FOUND');
    expect(headerOf(answer, 'connection')).toBe('close');
  });

  it('answers 404 the same way for a disabled source', async () => {
    const { answer } = await sendHeadersAndPartOfTheBody(disabledUrl, {
      Authorization: 'Bearer the-alertmanager-secret',
    });
    expect(statusOf(answer), answer).toBe(404);
  });

  it('answers 401 to 5 MiB with a wrong bearer token after 64 KiB of it, and closes the connection', async () => {
    const { answer } = await sendHeadersAndPartOfTheBody(alertmanagerUrl, {
      Authorization: 'Bearer a-guess',
    });
    expect(statusOf(answer), answer).toBe(401);
    expect(answer).toContain('AKM_WEBHOOK_UNAUTHORIZED');
    expect(headerOf(answer, 'connection')).toBe('close');
  });

  it('answers 401 the same way to wrong basic auth and to no credentials at all', async () => {
    const wrongBasic = `Basic ${Buffer.from('alertmanager:a-guess').toString('base64')}`;
    const cases: Record<string, string>[] = [{ Authorization: wrongBasic }, {}];
    for (const headers of cases) {
      const { answer } = await sendHeadersAndPartOfTheBody(alertmanagerUrl, headers);
      expect(statusOf(answer), JSON.stringify(headers)).toBe(401);
    }
  });

  it('still reads and stores a whole request with the right secret', async () => {
    const response = await fetch(alertmanagerUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer the-alertmanager-secret',
      },
      body: JSON.stringify({
        status: 'firing',
        alerts: [{ status: 'firing', labels: { alertname: 'DiskFull' }, fingerprint: 'f1' }],
      }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    expect(await response.json()).toMatchObject({ received: 1 });
  });
});
