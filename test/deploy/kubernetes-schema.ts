import { createAjv, describeSchemaErrors } from '@akmatori/core';
import { readRepoFile } from './compose-file.js';

type Schema = { [key: string]: unknown };

interface Definitions {
  readonly release: string;
  readonly definitions: Record<string, Schema>;
}

/** A rendered Kubernetes object: what every kind has. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/**
 * The Kubernetes API's own definitions (test/deploy/schemas/kubernetes-definitions.json), made
 * strict the way kubeconform's `-strict` is: an object schema that lists its properties allows
 * no others, so a misspelt field (`readOnlyRootFileSystem`) is an error instead of silently
 * ignored. Integer-or-string and quantity fields take both forms, as the API server does.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, inner]) => [name, strict(inner)]),
          )
        : strict(value),
    ]),
  );
  if (
    'properties' in copy &&
    !('additionalProperties' in copy) &&
    copy['x-kubernetes-preserve-unknown-fields'] !== true
  )
    copy.additionalProperties = false;
  return copy;
}

const loaded = JSON.parse(
  readRepoFile('test/deploy/schemas/kubernetes-definitions.json'),
) as Definitions;
const definitions = Object.fromEntries(
  Object.entries(loaded.definitions).map(([name, schema]) => [name, strict(schema)]),
) as Record<string, Schema>;
definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = {
  anyOf: [{ type: 'string' }, { type: 'integer' }],
};
definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
  anyOf: [{ type: 'string' }, { type: 'number' }],
};

const ajv = createAjv({ strict: false, allErrors: true, logger: false });
ajv.addSchema({ $id: 'kubernetes', definitions });

/** The definition name of each `apiVersion` + `kind`, from `x-kubernetes-group-version-kind`. */
const byKind = new Map<string, string>();
for (const [name, schema] of Object.entries(loaded.definitions)) {
  const kinds = (schema['x-kubernetes-group-version-kind'] ?? []) as {
    group: string;
    version: string;
    kind: string;
  }[];
  for (const { group, version, kind } of kinds)
    byKind.set(`${group === '' ? version : `${group}/${version}`} ${kind}`, name);
}
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** The Kubernetes release the definitions come from. */
export const kubernetesRelease = loaded.release;

/**
 * Problems of `object` against its kind's definition, as sentences; empty when valid.
 *
 * @example
 * ```ts
 * kubernetesProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spek: {} });
 * // ['spek is not a known setting']
 * ```
 */
export function kubernetesProblems(object: KubernetesObject): string[] {
  const key = `${object.apiVersion} ${object.kind}`;
  const name = byKind.get(key);
  if (name === undefined) return [`${key} is not a kind the definitions hold`];
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `kubernetes#/definitions/${name}` });
    validators.set(name, validate);
  }
  return validate(object) ? [] : describeSchemaErrors(validate.errors);
}
