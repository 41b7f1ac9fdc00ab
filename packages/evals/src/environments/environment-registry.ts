import { createAjv, describeSchemaErrors } from '@akmatori/core';
import { EvalErrors } from '../errors.js';
import type { BuiltEnvironment, EnvironmentKind } from './environment.js';

/** One `environment:` entry of a scenario.yaml: its kind, its name, and the kind's own fields. */
export interface EnvironmentEntry {
  readonly kind: string;
  readonly name: string;
  readonly [field: string]: unknown;
}

/**
 * The environment kinds the harness can build, each validated when it is registered. A scenario's
 * entry is split into `kind`, `name` and the spec (every other field), which the kind's
 * `specSchema` checks before `build` sees it.
 *
 * @example
 * ```ts
 * const registry = createEnvironmentRegistry([localHttpEnvironment]);
 * registry.check({ kind: 'local-http', name: 'api', routes: [] }); // throws if the spec is wrong
 * const built = await registry.build({ kind: 'local-http', name: 'api', routes: [] }, { workDir });
 * await built.stop();
 * ```
 */
export interface EnvironmentRegistry {
  /** The registered kind names, sorted. */
  kinds(): readonly string[];
  /** Throws `AKM_EVAL_ENVIRONMENT_KIND_UNKNOWN` or `AKM_EVAL_ENVIRONMENT_SPEC_INVALID`. */
  check(entry: EnvironmentEntry): void;
  /** Checks the entry, then builds it in `workDir`; a failed build throws `AKM_EVAL_ENVIRONMENT_BUILD_FAILED`. */
  build(entry: EnvironmentEntry, context: { readonly workDir: string }): Promise<BuiltEnvironment>;
}

const kindNamePattern = /^[a-z][a-z0-9-]*$/;

/** The spec of an entry: every field but `kind` and `name`. */
export function environmentSpec(entry: EnvironmentEntry): Record<string, unknown> {
  const { kind: _kind, name: _name, ...spec } = entry;
  return spec;
}

/** Builds a registry of `kinds`; a duplicate kind, a bad name or a schema ajv refuses throws at once. */
export function createEnvironmentRegistry(
  kinds: readonly EnvironmentKind<never>[],
): EnvironmentRegistry {
  const ajv = createAjv({ strict: false });
  const byKind = new Map<
    string,
    { kind: EnvironmentKind<never>; validate: ReturnType<typeof ajv.compile> }
  >();
  for (const kind of kinds) {
    if (!kindNamePattern.test(kind.kind))
      throw EvalErrors.AKM_EVAL_ENVIRONMENT_KIND_INVALID({
        kind: kind.kind,
        problem: 'is not a valid kind name (a-z, 0-9 and hyphens)',
      });
    if (byKind.has(kind.kind))
      throw EvalErrors.AKM_EVAL_ENVIRONMENT_KIND_INVALID({
        kind: kind.kind,
        problem: 'is registered twice',
      });
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(kind.specSchema);
    } catch (error) {
      throw EvalErrors.AKM_EVAL_ENVIRONMENT_KIND_INVALID(
        {
          kind: kind.kind,
          problem: `has a spec schema ajv refuses: ${(error as Error).message}`,
        },
        { cause: error },
      );
    }
    byKind.set(kind.kind, { kind, validate });
  }

  const lookup = (entry: EnvironmentEntry) => {
    const found = byKind.get(entry.kind);
    if (found === undefined)
      throw EvalErrors.AKM_EVAL_ENVIRONMENT_KIND_UNKNOWN({
        kind: entry.kind,
        known: [...byKind.keys()].sort(),
      });
    return found;
  };

  const check = (entry: EnvironmentEntry): Record<string, unknown> => {
    const { validate } = lookup(entry);
    const spec = environmentSpec(entry);
    if (!validate(spec))
      throw EvalErrors.AKM_EVAL_ENVIRONMENT_SPEC_INVALID({
        kind: entry.kind,
        name: entry.name,
        problems: describeSchemaErrors(validate.errors),
      });
    return spec;
  };

  return {
    kinds: () => [...byKind.keys()].sort(),
    check: (entry) => {
      check(entry);
    },
    async build(entry, context) {
      const spec = check(entry);
      const { kind } = lookup(entry);
      try {
        return await kind.build(spec as never, { workDir: context.workDir, name: entry.name });
      } catch (error) {
        throw EvalErrors.AKM_EVAL_ENVIRONMENT_BUILD_FAILED(
          {
            kind: entry.kind,
            name: entry.name,
            reason: error instanceof Error ? error.message : String(error),
          },
          { cause: error },
        );
      }
    },
  };
}
