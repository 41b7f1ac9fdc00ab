import { describe, expect, it } from 'vitest';
import { createAjv } from '../schema/ajv.js';
import type { ObjectSchema } from './schema.js';
import { destinationBoundSecrets, destinationChanges } from './secret-destinations.js';

const urlAndToken: ObjectSchema = {
  type: 'object',
  properties: {
    api_url: { type: 'string', destinationOf: ['api_token'] },
    verify_tls: { type: 'boolean', default: true, destinationOf: ['api_token'] },
    timeout: { type: 'integer' },
    api_token: { type: 'string', secret: true },
  },
};

const hostList: ObjectSchema = {
  type: 'object',
  properties: {
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          address: { type: 'string', destinationOf: ['key', 'password'] },
          port: { type: 'integer', default: 22, destinationOf: ['key', 'password'] },
          allow_write: { type: 'boolean' },
        },
      },
    },
    key: { type: 'string', secret: true },
    password: { type: 'string', secret: true },
  },
};

const web = { name: 'web', address: 'web.example.com', allow_write: false };
const db = { name: 'db', address: 'db.example.com', port: 2222 };

describe('destinationChanges', () => {
  it('names a changed URL and the secret it carries', () => {
    expect(
      destinationChanges(urlAndToken, { api_url: 'https://a/x' }, { api_url: 'https://b/x' }),
    ).toEqual([{ field: 'api_url', secrets: ['api_token'] }]);
  });

  it('finds nothing when only other settings change', () => {
    expect(
      destinationChanges(
        urlAndToken,
        { api_url: 'https://a/x', timeout: 5 },
        { api_url: 'https://a/x', timeout: 9 },
      ),
    ).toEqual([]);
  });

  it('counts a left-out setting as its default', () => {
    const before = { api_url: 'https://a/x' };
    expect(destinationChanges(urlAndToken, before, { ...before, verify_tls: true })).toEqual([]);
    expect(destinationChanges(urlAndToken, before, { ...before, verify_tls: false })).toEqual([
      { field: 'verify_tls', secrets: ['api_token'] },
    ]);
  });

  it('names the changed property of one item of a list, for each secret it carries', () => {
    expect(
      destinationChanges(
        hostList,
        { hosts: [web, db] },
        { hosts: [web, { ...db, address: 'evil.example.net' }] },
      ),
    ).toEqual([{ field: 'hosts.1.address', secrets: ['key', 'password'] }]);
  });

  it('treats a port left out and the default port as the same destination', () => {
    expect(
      destinationChanges(hostList, { hosts: [web] }, { hosts: [{ ...web, port: 22 }] }),
    ).toEqual([]);
    expect(
      destinationChanges(hostList, { hosts: [web] }, { hosts: [{ ...web, port: 2200 }] }),
    ).toEqual([{ field: 'hosts.0.port', secrets: ['key', 'password'] }]);
  });

  it('names a new item as a whole', () => {
    expect(destinationChanges(hostList, { hosts: [web] }, { hosts: [web, db] })).toEqual([
      { field: 'hosts.1', secrets: ['key', 'password'] },
    ]);
  });

  it('lets items be removed, reordered, renamed or changed in other properties', () => {
    const before = { hosts: [web, db] };
    expect(destinationChanges(hostList, before, { hosts: [db] })).toEqual([]);
    expect(destinationChanges(hostList, before, { hosts: [db, web] })).toEqual([]);
    expect(
      destinationChanges(hostList, before, {
        hosts: [{ ...web, name: 'web-1', allow_write: true }, db],
      }),
    ).toEqual([]);
  });

  it('sees a destination moved to an address no item had before, even at another index', () => {
    expect(
      destinationChanges(
        hostList,
        { hosts: [web, db] },
        { hosts: [{ ...db, address: 'evil.example.net' }, web] },
      ),
    ).toEqual([{ field: 'hosts.0.address', secrets: ['key', 'password'] }]);
  });

  it('finds nothing in a schema without destinations', () => {
    const plain: ObjectSchema = {
      type: 'object',
      properties: { url: { type: 'string' }, token: { type: 'string', secret: true } },
    };
    expect(destinationChanges(plain, { url: 'a' }, { url: 'b' })).toEqual([]);
  });
});

describe('destinationBoundSecrets', () => {
  it('lists each secret named by a destination once, nested ones too', () => {
    expect(destinationBoundSecrets(urlAndToken)).toEqual(['api_token']);
    expect(destinationBoundSecrets(hostList)).toEqual(['key', 'password']);
  });
});

describe('the destinationOf keyword', () => {
  it('is known to the schema compiler and must name secret fields as strings', () => {
    const ajv = createAjv();
    expect(() => ajv.compile(hostList)).not.toThrow();
    expect(() =>
      ajv.compile({
        type: 'object',
        properties: { url: { type: 'string', destinationOf: 'token' } },
      }),
    ).toThrow(/destinationOf/);
  });
});
