/**
 * Makes `kubernetes-definitions.json` from the Kubernetes API's OpenAPI v2 document
 * (`swagger.json`): the definitions of the kinds a deployment may hold and every definition they
 * refer to, descriptions left out. The Kubernetes test validates rendered manifests against it.
 *
 *   node --import tsx test/deploy/schemas/extract-kubernetes-definitions.ts SWAGGER.json RELEASE
 *
 * SWAGGER.json: e.g. `kubernetes/swagger.json.unprocessed` of kubernetes-client/python (the
 * API's own document for one release); RELEASE names it in the output (e.g. `release-1.36`).
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The kinds the manifests may use, by their OpenAPI definition name. */
const kinds = [
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.batch.v1.CronJob',
  'io.k8s.api.batch.v1.Job',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.networking.v1.Ingress',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const [swaggerFile, release] = process.argv.slice(2);
if (swaggerFile === undefined || release === undefined)
  throw new Error('usage: extract-kubernetes-definitions.ts SWAGGER.json RELEASE');
const swagger = JSON.parse(readFileSync(swaggerFile, 'utf8')) as {
  definitions: Record<string, Json>;
};

/** The value without `description` keys, anywhere in it. */
function withoutDescriptions(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description')
      .map(([key, inner]) => [key, withoutDescriptions(inner)]),
  );
}

/** Every `#/definitions/NAME` the value refers to. */
function references(value: Json, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) references(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string')
        found.add(inner.replace('#/definitions/', ''));
      else references(inner, found);
    }
  }
  return found;
}

const kept: Record<string, Json> = {};
const pending = [...kinds];
while (pending.length > 0) {
  const name = pending.pop()!;
  if (name in kept) continue;
  const definition = swagger.definitions[name];
  if (definition === undefined) throw new Error(`${swaggerFile} has no definition ${name}`);
  kept[name] = withoutDescriptions(definition);
  pending.push(...references(definition));
}

const sorted = Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(
  new URL('./kubernetes-definitions.json', import.meta.url),
  `${JSON.stringify({ release, kinds, definitions: sorted }, null, 2)}\n`,
);
