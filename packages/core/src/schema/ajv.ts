import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isTimeZone } from '../alerts/normalize.js';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * An ajv instance that knows Akmatori's schema annotations: `secret` (boolean),
 * `destinationOf` (names of secret fields) and the standard `description`/`title`, and the format `time-zone` (an IANA zone name). Strict mode
 * is on, so a typo'd keyword is a schema error.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, ...options });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  ajv.addKeyword({
    keyword: 'destinationOf',
    schemaType: 'array',
    metaSchema: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  });
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  return ajv;
}

/** Renders ajv errors as short sentences naming the offending field, for error messages. */
export function describeSchemaErrors(
  errors: readonly ErrorObject[] | null | undefined,
  fieldName: (instancePath: string) => string = (path) =>
    path.replace(/^\//, '').replaceAll('/', '.') || '(root)',
): string[] {
  return (errors ?? []).map((error) => {
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `${fieldName(`${error.instancePath}/${extra}`)} is not a known setting`;
    }
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `${fieldName(`${error.instancePath}/${missing}`)} is required`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return `${fieldName(error.instancePath)} must be one of ${allowed.map(String).join(', ')}`;
    }
    return `${fieldName(error.instancePath)} ${error.message ?? 'is invalid'}`;
  });
}
