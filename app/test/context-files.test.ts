import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sanitizeContextFileName } from '../src/context-files/context-file-name.js';
import { bearer, setUpAdmin, startApp } from './helpers.js';

let host: TestHost;
let admin: Record<string, string>;

beforeEach(async () => {
  host = await startApp();
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13, 1, 2, 3, 255]),
]);

/** A multipart/form-data body built by hand, as a browser would send it. */
function form(fields: { name: string; value: string | Buffer; filename?: string }[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = '----akmatori-test-boundary';
  const chunks: Buffer[] = [];
  for (const field of fields) {
    const disposition =
      field.filename === undefined
        ? `form-data; name="${field.name}"`
        : `form-data; name="${field.name}"; filename="${field.filename}"`;
    const type = field.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(field.value) ? field.value : Buffer.from(field.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (filename: string, content: string | Buffer, description?: string) => {
  const body = form([
    ...(description === undefined ? [] : [{ name: 'description', value: description }]),
    { name: 'file', filename, value: content },
  ]);
  return host.inject({
    method: 'POST',
    url: '/api/context-files',
    headers: { ...admin, ...body.headers },
    payload: body.payload,
  });
};

const api = (method: 'GET' | 'DELETE', url: string) => host.inject({ method, url, headers: admin });
const directory = (): string => path.join(host.config.dataDir, 'context-files');
/** What the store's directory holds (it is created on the first upload). */
const storedFiles = (): string[] => (existsSync(directory()) ? readdirSync(directory()) : []);

describe('context files', () => {
  it('are uploaded, listed, read, downloaded byte for byte and deleted', async () => {
    const created = await upload('runbook.png', png, 'Checkout architecture');
    expect(created.statusCode, created.body).toBe(201);
    const file = created.json<Record<string, unknown>>();
    expect(file).toEqual({
      id: expect.any(String),
      name: 'runbook.png',
      content_type: 'image/png',
      size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      description: 'Checkout architecture',
      created_at: host.clock.now().toISOString(),
    });
    const id = file.id as string;

    expect((await api('GET', '/api/context-files')).json()).toEqual({ data: [file] });
    expect((await api('GET', `/api/context-files/${id}`)).json()).toEqual(file);

    const content = await api('GET', `/api/context-files/${id}/content`);
    expect(content.statusCode).toBe(200);
    // The test host hands back text, so compare the stored bytes and the length served.
    expect(readFileSync(path.join(directory(), id)).equals(png)).toBe(true);
    expect(Number(content.headers['content-length'])).toBe(png.length);
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.headers['content-disposition']).toBe('attachment; filename="runbook.png"');
    expect(content.headers['x-content-type-options']).toBe('nosniff');

    expect((await api('DELETE', `/api/context-files/${id}`)).statusCode).toBe(204);
    expect((await api('GET', '/api/context-files')).json()).toEqual({ data: [] });
    expect(storedFiles()).toEqual([]);
  });

  it('downloads text exactly as uploaded, multibyte characters and CRLF included', async () => {
    const text = 'ошибка: disk full\r\n\tat /var/lib — ✓\n';
    const { id } = (await upload('trace.log', text)).json<{ id: string }>();
    const content = await api('GET', `/api/context-files/${id}/content`);
    expect(content.body).toBe(text);
    expect(content.headers['content-type']).toBe('text/plain');
  });

  it('keeps the files in <dataDir>/context-files, readable by the owner only', async () => {
    await upload('notes.md', '# Notes\n');
    expect(statSync(directory()).mode & 0o777).toBe(0o700);
    expect(storedFiles()).toHaveLength(1);
  });

  it('accepts each allowed text type and stores no description when none is sent', async () => {
    for (const [name, type] of [
      ['a.txt', 'text/plain'],
      ['b.log', 'text/plain'],
      ['c.csv', 'text/csv'],
      ['d.json', 'application/json'],
      ['e.yaml', 'application/yaml'],
      ['f.yml', 'application/yaml'],
    ]) {
      const response = await upload(name!, 'key: value\n');
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ name, content_type: type, description: null });
    }
    expect((await upload('g.pdf', '%PDF-1.7\n...')).statusCode).toBe(201);
    expect((await upload('h.JPG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]))).statusCode).toBe(201);
  });

  it('sanitizes names: basename only, safe characters, no leading dot', async () => {
    const names = [];
    for (const filename of ['../../etc/notes.txt', 'Отчёт за май.md', '.env.yaml', 'a b/c d.txt'])
      names.push((await upload(filename, 'x')).json<{ name: string }>().name);
    expect(names).toEqual(['notes.txt', 'file.md', 'env.yaml', 'c-d.txt']);
  });

  it('refuses a name already taken with 409 and keeps the first file', async () => {
    expect((await upload('notes.txt', 'first')).statusCode).toBe(201);
    const again = await upload('../notes.txt', 'second');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AKM_CONTEXT_FILE_NAME_TAKEN' });
    expect(storedFiles()).toHaveLength(1);
  });

  it('refuses types not on the list with 415', async () => {
    for (const filename of ['script.sh', 'passwd', '../../etc/passwd', '.env', 'page.html']) {
      const response = await upload(filename, 'echo hi');
      expect(response.statusCode, filename).toBe(415);
      expect(response.json()).toMatchObject({ code: 'AKM_CONTEXT_FILE_TYPE_UNSUPPORTED' });
    }
    expect(storedFiles()).toEqual([]);
  });

  it('refuses content that does not match its extension with 415', async () => {
    for (const [filename, content] of [
      ['image.png', Buffer.from('not a png at all')],
      ['tiny.png', Buffer.from([0x89, 0x50])],
      ['doc.pdf', Buffer.from('hello')],
      ['photo.jpg', png],
      ['notes.txt', Buffer.from('text\0with a NUL')],
    ] as const) {
      const response = await upload(filename, content);
      expect(response.statusCode, filename).toBe(415);
      expect(response.json()).toMatchObject({ code: 'AKM_CONTEXT_FILE_CONTENT_MISMATCH' });
    }
    expect(storedFiles()).toEqual([]);
  });

  it('refuses a file over 10 MiB with 413 and leaves nothing behind', async () => {
    const response = await upload('big.log', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'AKM_CONTEXT_FILE_TOO_LARGE' });
    expect(storedFiles()).toEqual([]);
    expect((await api('GET', '/api/context-files')).json()).toEqual({ data: [] });
    expect((await upload('exact.log', Buffer.alloc(10 * 1024 * 1024, 'a'))).statusCode).toBe(201);
  });

  it('refuses a form without a file, with extra fields, or not multipart, with 400', async () => {
    const noFile = form([{ name: 'description', value: 'x' }]);
    const extra = form([
      { name: 'file', filename: 'a.txt', value: 'a' },
      { name: 'other', value: 'x' },
    ]);
    for (const body of [noFile, extra]) {
      const response = await host.inject({
        method: 'POST',
        url: '/api/context-files',
        headers: { ...admin, ...body.headers },
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(400);
    }
    const json = await host.inject({
      method: 'POST',
      url: '/api/context-files',
      headers: admin,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(400);
    expect(storedFiles()).toEqual([]);
  });

  it('answers 404 for unknown ids', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/api/context-files/${id}`, `/api/context-files/${id}/content`])
      expect((await api('GET', url)).statusCode, url).toBe(404);
    expect((await api('DELETE', `/api/context-files/${id}`)).statusCode).toBe(404);
  });

  it('requires authentication', async () => {
    const body = form([{ name: 'file', filename: 'a.txt', value: 'a' }]);
    const upload = await host.inject({
      method: 'POST',
      url: '/api/context-files',
      headers: body.headers,
      payload: body.payload,
    });
    expect(upload.statusCode).toBe(401);
    expect((await host.inject({ method: 'GET', url: '/api/context-files' })).statusCode).toBe(401);
  });

  it('describes the upload as multipart/form-data in the OpenAPI document', async () => {
    const spec = (await host.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, { requestBody?: { content: object } }>>;
    }>();
    expect(Object.keys(spec.paths['/api/context-files']?.post?.requestBody?.content ?? {})).toEqual(
      ['multipart/form-data'],
    );
  });
});

describe('sanitizeContextFileName', () => {
  it('keeps at most 128 characters, extension included, and refuses names with nothing usable', () => {
    const long = sanitizeContextFileName(`${'a'.repeat(300)}.txt`);
    expect(long).toHaveLength(128);
    expect(long?.endsWith('.txt')).toBe(true);
    expect(sanitizeContextFileName('..')).toBeUndefined();
    expect(sanitizeContextFileName('a..b...txt')).toBe('a.b.txt');
  });
});
