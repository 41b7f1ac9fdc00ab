import type { Ajv, ValidateFunction } from 'ajv';
import semver from 'semver';
import type { AkmatoriPlugin } from '../contracts/plugin.js';
import { secretFields, type ObjectSchema } from '../contracts/schema.js';
import { destinationBoundSecrets } from '../contracts/secret-destinations.js';
import { CoreErrors } from '../errors/catalog.js';

/** The kinds of contribution a plugin can make. */
export type ContributionKind = 'adapter' | 'tool provider' | 'runner' | 'notifier';

const idPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A contribution after validation, with its compiled schemas. */
export interface ValidatedContribution {
  /** What it is. */
  readonly kind: ContributionKind;
  /** Its id. */
  readonly id: string;
  /** The object the plugin provided. */
  readonly value: unknown;
  /** Compiled validators for its schemas, by schema name. */
  readonly validators: ReadonlyMap<string, ValidateFunction>;
}

/**
 * Checks a plugin's shape, core version range and schemas. Throws the first problem as a
 * coded error; returns its contributions ready to register.
 */
export function validatePlugin(
  plugin: AkmatoriPlugin,
  coreVersion: string,
  ajv: Ajv,
): ValidatedContribution[] {
  const name = typeof plugin?.name === 'string' && plugin.name !== '' ? plugin.name : '(unnamed)';
  const problems = shapeProblems(plugin);
  if (problems.length > 0) throw CoreErrors.AKM_PLUGIN_INVALID({ plugin: name, problems });

  if (plugin.coreVersion !== undefined) {
    if (semver.validRange(plugin.coreVersion) === null) {
      throw CoreErrors.AKM_PLUGIN_INVALID({
        plugin: name,
        problems: [`coreVersion "${plugin.coreVersion}" is not a semver range`],
      });
    }
    if (!semver.satisfies(coreVersion, plugin.coreVersion, { includePrerelease: true })) {
      throw CoreErrors.AKM_PLUGIN_CORE_VERSION({
        plugin: name,
        range: plugin.coreVersion,
        version: coreVersion,
      });
    }
  }

  const contributions: ValidatedContribution[] = [];
  const add = (
    kind: ContributionKind,
    value: Record<string, unknown>,
    schemas: Record<string, unknown>,
  ): void => {
    const id = value.id as string;
    const validators = new Map<string, ValidateFunction>();
    for (const [schemaName, schema] of Object.entries(schemas)) {
      validators.set(
        schemaName,
        compileObjectSchema(ajv, schema, { plugin: name, kind, id, schema: schemaName }),
      );
    }
    contributions.push({ kind, id, value, validators });
  };

  for (const adapter of plugin.adapters ?? []) {
    add('adapter', adapter as never, { configSchema: adapter.configSchema });
  }
  for (const provider of plugin.tools ?? []) {
    const schemas: Record<string, unknown> = { credentialSchema: provider.credentialSchema };
    for (const tool of provider.tools)
      schemas[`inputSchema of tool "${tool.name}"`] = tool.inputSchema;
    add('tool provider', provider as never, schemas);
  }
  for (const runner of plugin.runners ?? []) add('runner', runner as never, {});
  for (const notifier of plugin.notifiers ?? []) {
    add('notifier', notifier as never, { configSchema: notifier.configSchema });
  }
  return contributions;
}

function compileObjectSchema(
  ajv: Ajv,
  schema: unknown,
  where: { plugin: string; kind: string; id: string; schema: string },
): ValidateFunction {
  const candidate = schema as Partial<ObjectSchema> | undefined;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    candidate.type !== 'object' ||
    candidate.properties === null ||
    typeof candidate.properties !== 'object'
  ) {
    throw CoreErrors.AKM_PLUGIN_INVALID_SCHEMA({
      ...where,
      reason: 'it must be a JSON Schema with type "object" and a "properties" map',
    });
  }
  const strays = destinationBoundSecrets(candidate as ObjectSchema).filter(
    (name) => !secretFields(candidate as ObjectSchema).includes(name),
  );
  if (strays.length > 0) {
    throw CoreErrors.AKM_PLUGIN_INVALID_SCHEMA({
      ...where,
      reason: `destinationOf names ${strays.map((n) => `"${n}"`).join(', ')}, which ${strays.length === 1 ? 'is not a' : 'are not'} top-level secret field${strays.length === 1 ? '' : 's'} (secret: true) of this schema`,
    });
  }
  try {
    return ajv.compile(candidate);
  } catch (error) {
    throw CoreErrors.AKM_PLUGIN_INVALID_SCHEMA(
      { ...where, reason: (error as Error).message },
      { cause: error },
    );
  }
}

function shapeProblems(plugin: AkmatoriPlugin): string[] {
  if (plugin === null || typeof plugin !== 'object')
    return ['a plugin must be an object made with definePlugin'];
  const problems: string[] = [];
  if (typeof plugin.name !== 'string' || plugin.name === '')
    problems.push('name must be a non-empty string');
  const lists = {
    adapters: plugin.adapters,
    tools: plugin.tools,
    runners: plugin.runners,
    notifiers: plugin.notifiers,
  };
  for (const [field, list] of Object.entries(lists)) {
    if (list !== undefined && !Array.isArray(list)) problems.push(`${field} must be an array`);
  }
  if (problems.length > 0) return problems;

  const check = (label: string, value: Record<string, unknown>, functions: string[]): void => {
    if (value === null || typeof value !== 'object') {
      problems.push(`${label} must be an object`);
      return;
    }
    if (typeof value.id !== 'string' || !idPattern.test(value.id)) {
      problems.push(
        `${label} id ${JSON.stringify(value.id)} must be lowercase letters, digits, ".", "_" or "-"`,
      );
    }
    if (typeof value.displayName !== 'string' || value.displayName === '') {
      problems.push(`${label} "${String(value.id)}" needs a displayName`);
    }
    for (const fn of functions) {
      if (typeof value[fn] !== 'function')
        problems.push(`${label} "${String(value.id)}" needs a ${fn}() function`);
    }
  };
  for (const adapter of plugin.adapters ?? []) {
    check('adapter', adapter as never, ['parse']);
    for (const optional of ['verify', 'checkHeaders'] as const) {
      if (adapter[optional] !== undefined && typeof adapter[optional] !== 'function')
        problems.push(`adapter "${adapter.id}" ${optional} must be a function`);
    }
    if (!Array.isArray(adapter.samples) || adapter.samples.length === 0) {
      problems.push(`adapter "${adapter.id}" needs at least one sample payload`);
    }
    if (!Array.isArray(adapter.fingerprintFields) || adapter.fingerprintFields.length === 0) {
      problems.push(`adapter "${adapter.id}" must declare its fingerprintFields`);
    }
    if (typeof adapter.authentication !== 'string' || adapter.authentication === '') {
      problems.push(`adapter "${adapter.id}" must say how senders authenticate`);
    }
  }
  for (const provider of plugin.tools ?? []) {
    check('tool provider', provider as never, []);
    // An empty list is allowed: a provider may offer only a credential type for now.
    if (!Array.isArray(provider.tools)) {
      problems.push(`tool provider "${provider.id}" must list its tools (an array, may be empty)`);
      continue;
    }
    const seen = new Set<string>();
    for (const tool of provider.tools) {
      if (typeof tool.name !== 'string' || !/^[a-z0-9_]{1,64}$/.test(tool.name)) {
        problems.push(
          `tool provider "${provider.id}" has a tool named ${JSON.stringify(tool.name)}: use a-z, 0-9 and _`,
        );
      } else if (seen.has(tool.name)) {
        problems.push(`tool provider "${provider.id}" has two tools named "${tool.name}"`);
      }
      seen.add(tool.name);
      if (typeof tool.description !== 'string' || tool.description === '') {
        problems.push(`tool "${provider.id}.${tool.name}" needs a description`);
      }
      if (typeof tool.readOnly !== 'boolean')
        problems.push(`tool "${provider.id}.${tool.name}" must say readOnly true or false`);
      if (typeof tool.execute !== 'function')
        problems.push(`tool "${provider.id}.${tool.name}" needs an execute() function`);
    }
  }
  for (const runner of plugin.runners ?? []) check('runner', runner as never, ['start']);
  for (const notifier of plugin.notifiers ?? [])
    check('notifier', notifier as never, ['onIncidentEvent']);
  return problems;
}
