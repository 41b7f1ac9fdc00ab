import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

type Compiler = (route: unknown) => (...args: unknown[]) => unknown;
type CompilerFactory = (...args: unknown[]) => Compiler;

// Fastify's compilers (ajv, fast-json-stringify and their ~175 modules) are CommonJS, so they
// can be required on the first route compile instead of being imported at start.
const require = createRequire(import.meta.url);
/** The compiler factory of one of Fastify's compiler modules, required and made once. */
function loadCompilerFactory(moduleId: string): () => CompilerFactory {
  let factory: CompilerFactory | undefined;
  return () => (factory ??= (require(moduleId) as () => CompilerFactory)());
}

/** What {@link lazySchemaCompilers} gives Fastify, and how to compile everything at once. */
export interface LazySchemaCompilers {
  /** For Fastify's `schemaController.compilersFactory`. */
  readonly compilersFactory: NonNullable<
    NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
  >;
  /** Compiles every route schema not compiled yet and says how many; throws a schema's error. */
  compileAll(): number;
}

/**
 * Fastify's own validator (ajv) and serializer (fast-json-stringify) compilers, each route's
 * schema compiled on the route's first request instead of when the server starts. Compiling
 * the ~150 routes' schemas was about a third of `akmatori serve`'s start-up CPU, and most
 * routes are never called in a given process (the compiled code stays in memory).
 * `compileAll()` lets a test prove every schema compiles.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();
  const lazily =
    (loadFactory: () => CompilerFactory, validator: boolean): CompilerFactory =>
    (...factoryArgs) => {
      // Fastify asks for a compiler in every plugin context that adds a shared schema (17 at
      // start); each is an ajv instance that compiles ajv's meta-schemas (~10 ms). It is made
      // when the context's first route schema compiles.
      let compiler: Compiler | undefined;
      return (route) => {
        let compiled: ((...args: unknown[]) => unknown) | undefined;
        const compile = (): ((...args: unknown[]) => unknown) => {
          if (compiled === undefined) {
            compiler ??= loadFactory()(...factoryArgs);
            compiled = compiler(route);
            pending.delete(compile);
          }
          return compiled;
        };
        pending.add(compile);
        const run = (...args: unknown[]): unknown => {
          const fn = compile();
          const result = fn(...args);
          // Fastify reads a failed validation's errors from the function it was given.
          if (validator) (run as { errors?: unknown }).errors = (fn as { errors?: unknown }).errors;
          return result;
        };
        // Fastify passes ajv functions (which have `schemaEnv`) the request as parent data, so
        // that coercion and defaults can replace a root value; the real function takes it.
        if (validator) Object.assign(run, { schemaEnv: true });
        return run;
      };
    };
  return {
    compilersFactory: {
      buildValidator: lazily(loadCompilerFactory('@fastify/ajv-compiler'), true) as never,
      buildSerializer: lazily(
        loadCompilerFactory('@fastify/fast-json-stringify-compiler'),
        false,
      ) as never,
    },
    compileAll() {
      const waiting = [...pending];
      for (const compile of waiting) compile();
      return waiting.length;
    },
  };
}

/** The lazy compilers of each server `buildServer` built, for {@link compileAllSchemas}. */
export const schemaCompilers = new WeakMap<FastifyInstance, LazySchemaCompilers>();

/**
 * Compiles every route schema of a server from `buildServer` not compiled yet and says how
 * many; throws a schema's error.
 */
export function compileAllSchemas(app: FastifyInstance): number {
  const schemas = schemaCompilers.get(app);
  if (schemas === undefined) throw new TypeError('not a server built by buildServer');
  return schemas.compileAll();
}
