import { describe, expect, it } from 'vitest';
import { AkmatoriError, defineErrorCatalog, isAkmatoriError } from './akmatori-error.js';
import { CoreErrors } from './catalog.js';

describe('error catalogs', () => {
  it('builds errors carrying their stable code, HTTP status and message', () => {
    const Errors = defineErrorCatalog({
      AKM_THING_MISSING: { status: 404, message: (p: { id: string }) => `no thing ${p.id}` },
    });
    const error = Errors.AKM_THING_MISSING({ id: '42' }, { details: { id: '42' } });
    expect(error).toBeInstanceOf(AkmatoriError);
    expect(error).toMatchObject({
      code: 'AKM_THING_MISSING',
      statusCode: 404,
      message: 'no thing 42',
      details: { id: '42' },
    });
    expect(Errors.AKM_THING_MISSING.code).toBe('AKM_THING_MISSING');
    expect(isAkmatoriError(error, Errors.AKM_THING_MISSING)).toBe(true);
    expect(isAkmatoriError(new Error('x'))).toBe(false);
  });

  it('keeps the cause for logs', () => {
    const cause = new Error('disk full');
    expect(CoreErrors.AKM_PAYLOAD_INVALID({ reason: 'x' }, { cause }).cause).toBe(cause);
  });

  it('uses AKM_ codes that match their catalog keys, with 4xx/5xx statuses', () => {
    for (const [key, factory] of Object.entries(CoreErrors)) {
      expect(key).toMatch(/^AKM_[A-Z0-9_]+$/);
      expect(factory.code).toBe(key);
      expect(factory.status).toBeGreaterThanOrEqual(400);
      expect(factory.status).toBeLessThan(600);
    }
  });
});
