import { describe, expect, it } from 'vitest';
import {
  basicCredentials,
  bearerMatches,
  bearerToken,
  header,
  hmacSha256Hex,
  secretsEqual,
} from './webhook-auth.js';

describe('webhook authentication helpers', () => {
  it('compares secrets exactly, whatever their lengths', () => {
    expect(secretsEqual('s3cret', 's3cret')).toBe(true);
    expect(secretsEqual('s3cret', 's3cre')).toBe(false);
    expect(secretsEqual('s3cret', 's3cret!')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('', 'x')).toBe(false);
  });

  it('reads bearer tokens case-insensitively and checks them', () => {
    expect(bearerToken({ authorization: 'bearer abc' })).toBe('abc');
    expect(bearerMatches({ authorization: 'Bearer abc' }, 'abc')).toBe(true);
    expect(bearerMatches({ authorization: 'Bearer abd' }, 'abc')).toBe(false);
    expect(bearerMatches({}, 'abc')).toBe(false);
  });

  it('decodes basic auth, with colons allowed in the password', () => {
    const encoded = Buffer.from('alertmanager:pa:ss').toString('base64');
    expect(basicCredentials({ authorization: `Basic ${encoded}` })).toEqual({
      username: 'alertmanager',
      password: 'pa:ss',
    });
    expect(basicCredentials({ authorization: 'Bearer x' })).toBeUndefined();
  });

  it('computes hex HMAC-SHA256 and reads the first header value', () => {
    expect(hmacSha256Hex('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    expect(header({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
  });
});
