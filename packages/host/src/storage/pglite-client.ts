import type { Knex } from 'knex';
import ClientPGLite from 'knex-pglite';

type QueryObject = { method?: string } & Record<string, unknown>;

/**
 * knex-pglite's client with one fix: it derives the result kind from the knex method name,
 * so `del()` and `increment()` ('del', 'counter') returned the raw result object instead of
 * the affected row count. Renaming the method before it looks makes them behave as on `pg`.
 */
const Base = ClientPGLite as unknown as new (config: Knex.Config) => {
  processResponse(obj: QueryObject, runner: unknown): unknown;
};

export const PGliteClient = class extends Base {
  override processResponse(obj: QueryObject, runner: unknown): unknown {
    const method =
      obj.method === 'del' ? 'delete' : obj.method === 'counter' ? 'update' : obj.method;
    return super.processResponse({ ...obj, method }, runner);
  }
} as unknown as typeof ClientPGLite;
