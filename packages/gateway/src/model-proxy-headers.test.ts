import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from './model-proxy-headers.js';

describe('upstreamRequestHeaders', () => {
  const worker = {
    host: 'gateway:8080',
    authorization: 'Bearer run-token',
    connection: 'keep-alive',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'content-length': '999',
    'proxy-authorization': 'Basic x',
    te: 'trailers',
    upgrade: 'websocket',
    cookie: 'a=b',
    accept: 'text/event-stream',
    'content-type': 'application/json',
    'x-codex-beta-features': 'x',
    'x-stainless-lang': 'js',
  };

  it('keeps the allowlisted headers and replaces authorization, encoding and length', () => {
    expect(upstreamRequestHeaders(worker, 'sk-real', 42)).toEqual({
      accept: 'text/event-stream',
      'content-type': 'application/json',
      'x-codex-beta-features': 'x',
      'x-stainless-lang': 'js',
      authorization: 'Bearer sk-real',
      'accept-encoding': 'identity',
      'content-length': 42,
    });
  });

  it('sends no authorization at all for a keyless provider', () => {
    expect(upstreamRequestHeaders(worker, '', 0)).not.toHaveProperty('authorization');
  });
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop headers, those named by connection, cookies and the length', () => {
    const upstream = {
      connection: 'keep-alive, x-internal-hop',
      'x-internal-hop': '1',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'content-length': '10',
      'set-cookie': ['a=b'],
      'alt-svc': 'h3=":443"',
      'content-type': 'text/event-stream',
      'x-codex-primary-used-percent': '12',
      'retry-after': '3',
    };
    expect(clientResponseHeaders(upstream)).toEqual({
      'content-type': 'text/event-stream',
      'x-codex-primary-used-percent': '12',
      'retry-after': '3',
    });
  });
});
