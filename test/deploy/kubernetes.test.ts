import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configEnvironment } from '@akmatori/host';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readComposeFile, readRepoFile, repoRoot, type ComposeFile } from './compose-file.js';
import { effective, execForm, parseDockerfile } from './dockerfile.js';
import {
  kubernetesProblems,
  kubernetesRelease,
  type KubernetesObject,
} from './kubernetes-schema.js';
import { allows, type Endpoint, type NetworkPolicy } from './network-policy.js';

// deploy/kubernetes rendered as `kubectl apply -k` would (kubectl kustomize), every object
// validated against the Kubernetes API's definitions, and the NetworkPolicies evaluated
// connection by connection against the compose design.

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  startupProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}
interface PodSpec {
  automountServiceAccountToken?: boolean;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  containers: Container[];
}
interface Workload extends KubernetesObject {
  spec: {
    replicas?: number;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

const dir = (name: string): string => fileURLToPath(new URL(`deploy/kubernetes/${name}`, repoRoot));

function render(name: string): KubernetesObject[] {
  const text = execFileSync('kubectl', ['kustomize', dir(name)], { encoding: 'utf8' });
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

let base: KubernetesObject[];
let production: KubernetesObject[];
let compose: ComposeFile;
const dockerfile = parseDockerfile(readRepoFile('deploy/docker/Dockerfile'));

const workloads = (objects: KubernetesObject[]): Workload[] =>
  objects.filter(
    (object): object is Workload => object.kind === 'Deployment' || object.kind === 'Job',
  );
const workload = (objects: KubernetesObject[], name: string): Workload => {
  const found = workloads(objects).find((object) => object.metadata.name === name);
  if (found === undefined) throw new Error(`no workload ${name}`);
  return found;
};
const container = (objects: KubernetesObject[], name: string): Container =>
  workload(objects, name).spec.template.spec.containers[0]!;

beforeAll(() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch {
    throw new Error('kubectl is missing: apt-get install kubectl (it renders Kustomize)');
  }
  base = render('base');
  production = render('overlays/production');
  compose = readComposeFile();
});

describe('deploy/kubernetes', () => {
  it('renders the base and the production overlay with kubectl kustomize', () => {
    const kinds = (objects: KubernetesObject[]): string[] =>
      [...new Set(objects.map((object) => object.kind))].sort();
    expect(kinds(base)).toEqual([
      'ConfigMap',
      'Deployment',
      'Ingress',
      'Job',
      'NetworkPolicy',
      'PersistentVolumeClaim',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    expect(kinds(production)).toEqual([...kinds(base), 'Namespace'].sort());
    for (const object of production.filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('akmatori');
  });

  it(`validates every object against the Kubernetes API's definitions (${kubernetesRelease}, unknown fields refused)`, () => {
    for (const object of [...base, ...production])
      expect(kubernetesProblems(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
  });

  it('the schema check catches a misspelt field and a wrong type', () => {
    const api = structuredClone(workload(base, 'akmatori-api')) as Workload;
    const first = api.spec.template.spec.containers[0]!;
    first.securityContext = { readOnlyRootFileSystem: true };
    (api.spec as { replicas: unknown }).replicas = 'two';
    const problems = kubernetesProblems(api).join('\n');
    expect(problems).toContain('readOnlyRootFileSystem is not a known setting');
    expect(problems).toContain('replicas must be integer');
  });

  it('runs two API replicas, two gateways, scalable workers and the migration as a Job', () => {
    expect(workload(base, 'akmatori-api').spec.replicas).toBe(2);
    expect(workload(base, 'akmatori-gateway').spec.replicas).toBe(2);
    expect(workload(base, 'akmatori-worker').kind).toBe('Deployment');
    expect(workload(base, 'akmatori-migrate').kind).toBe('Job');
    const budgets = base.filter((object) => object.kind === 'PodDisruptionBudget');
    expect(budgets.map((budget) => budget.metadata.name).sort()).toEqual([
      'akmatori-api',
      'akmatori-gateway',
    ]);
  });

  it('runs the same commands and settings as docker-compose.yml', () => {
    const commandOf = (object: Workload): string[] => {
      const first = object.spec.template.spec.containers[0]!;
      return first.command ?? first.args ?? [];
    };
    for (const [name, service] of [
      ['akmatori-api', 'api'],
      ['akmatori-gateway', 'gateway'],
      ['akmatori-worker', 'worker'],
      ['akmatori-migrate', 'migrate'],
    ] as const) {
      const spec = compose.services[service]!;
      const composeCommand =
        spec.command ?? execForm(effective(dockerfile, spec.build!.target!, 'CMD'));
      expect(commandOf(workload(base, name)), name).toEqual(composeCommand);
      const known = new Set(Object.values(configEnvironment).map((entry) => entry.name));
      const names = (workload(base, name).spec.template.spec.containers[0]!.env ?? []).map(
        (e) => e.name,
      );
      expect(
        names.filter((variable) => !known.has(variable)),
        name,
      ).toEqual([]);
      const value = (variable: string): string | undefined =>
        container(base, name).env?.find((entry) => entry.name === variable)?.value;
      for (const variable of [
        'AKMATORI_MIGRATE_ON_START',
        'AKMATORI_GATEWAY_IN_PROCESS',
        'AKMATORI_EMBEDDED_WORKER',
        'AKMATORI_AGENT_SANDBOX',
        'HOST',
        'PORT',
        'GATEWAY_HOST',
        'GATEWAY_PORT',
      ]) {
        const inCompose = compose.services[service]?.environment?.[variable];
        if (inCompose !== undefined) expect(value(variable), `${name} ${variable}`).toBe(inCompose);
      }
    }
  });

  it('runs every pod as non-root, read-only, without capabilities, under RuntimeDefault seccomp', () => {
    for (const object of workloads(production)) {
      const pod = object.spec.template.spec;
      const name = object.metadata.name;
      expect(pod.securityContext?.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext?.runAsUser, name).toBeGreaterThan(0);
      expect(pod.securityContext?.seccompProfile?.type, name).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken, name).toBe(false);
      for (const each of pod.containers) {
        expect(each.securityContext, `${name}/${each.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(each.resources?.requests?.cpu, `${name}/${each.name} cpu request`).toBeDefined();
        expect(each.resources?.requests?.memory, `${name}/${each.name} memory`).toBeDefined();
        expect(each.resources?.limits?.memory, `${name}/${each.name} memory limit`).toBeDefined();
      }
    }
    const namespace = production.find((object) => object.kind === 'Namespace');
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('probes the API on /health and /ready and the gateway on /health', () => {
    const api = container(base, 'akmatori-api');
    expect(api.startupProbe?.httpGet?.path).toBe('/health');
    expect(api.livenessProbe?.httpGet?.path).toBe('/health');
    expect(api.readinessProbe?.httpGet?.path).toBe('/ready');
    const gateway = container(base, 'akmatori-gateway');
    expect(gateway.livenessProbe?.httpGet?.path).toBe('/health');
    expect(gateway.readinessProbe?.httpGet?.path).toBe('/health');
  });

  it('refers to Secrets by name, ships none, and gives the worker only its token', () => {
    expect(production.filter((object) => object.kind === 'Secret')).toEqual([]);
    const secretsOf = (name: string): string[] =>
      (container(base, name).env ?? [])
        .map((entry) => entry.valueFrom?.secretKeyRef)
        .filter((ref) => ref !== undefined)
        .map((ref) => `${ref.name}/${ref.key}`)
        .sort();
    expect(secretsOf('akmatori-api')).toEqual([
      'akmatori/admin-password',
      'akmatori/database-url',
      'akmatori/secret-key',
      'akmatori/secret-key-previous',
    ]);
    expect(secretsOf('akmatori-gateway')).toEqual([
      'akmatori-gateway/database-url',
      'akmatori/secret-key',
      'akmatori/secret-key-previous',
    ]);
    expect(secretsOf('akmatori-migrate')).toEqual(['akmatori/database-url']);
    expect(secretsOf('akmatori-worker')).toEqual(['akmatori-worker/token']);
    expect(container(base, 'akmatori-worker').envFrom).toBeUndefined();
  });

  it('routes the Ingress to the API only: the gateway is never exposed', () => {
    for (const objects of [base, production]) {
      const ingress = objects.find((object) => object.kind === 'Ingress') as KubernetesObject & {
        spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
      };
      const backends = ingress.spec.rules.flatMap((rule) =>
        rule.http.paths.map((entry) => entry.backend.service.name),
      );
      expect(backends).toEqual(['akmatori-api']);
    }
  });
});

describe('deploy/kubernetes NetworkPolicies, against the compose networks', () => {
  type Name = 'ingress' | 'other' | 'api' | 'gateway' | 'worker' | 'migrate';
  type Target = 'api' | 'gateway' | 'worker' | 'postgres' | 'outside-https' | 'outside-ssh' | 'dns';

  /** Where each target is and on which port it listens. */
  const targets: Record<Target, { port: number; protocol?: string }> = {
    api: { port: 8080 },
    gateway: { port: 8081 },
    worker: { port: 8080 },
    postgres: { port: 5432 },
    'outside-https': { port: 443 },
    'outside-ssh': { port: 22 },
    dns: { port: 53, protocol: 'UDP' },
  };

  /** The connections the design makes; every other one in the grid must be refused. */
  const expected = new Set([
    'ingress->api',
    'worker->api',
    'worker->gateway',
    'api->postgres',
    'gateway->postgres',
    'migrate->postgres',
    'api->outside-https',
    'api->outside-ssh',
    'gateway->outside-https',
    'gateway->outside-ssh',
    'api->dns',
    'gateway->dns',
    'worker->dns',
    'migrate->dns',
  ]);

  /** The compose service each end stands for (the ingress controller is compose's nginx). */
  const composeName: Partial<Record<Name | Target, string>> = {
    ingress: 'nginx',
    api: 'api',
    gateway: 'gateway',
    worker: 'worker',
    migrate: 'migrate',
    postgres: 'postgres',
  };

  /** The targets that are pods of this deployment. */
  const ours: Target[] = ['api', 'gateway', 'worker'];
  let policies: NetworkPolicy[];
  let endpoints: Record<Name | Target, Endpoint>;

  beforeAll(() => {
    policies = production.filter(
      (object) => object.kind === 'NetworkPolicy',
    ) as unknown as NetworkPolicy[];
    const pod = (labels: Record<string, string>, namespace = 'akmatori'): Endpoint => ({
      kind: 'pod',
      namespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      labels,
    });
    const labelsOf = (name: string): Record<string, string> =>
      workload(production, name).spec.template.metadata.labels;
    endpoints = {
      ingress: pod({ 'app.kubernetes.io/name': 'ingress-nginx' }, 'ingress-nginx'),
      other: pod({ app: 'something-else' }, 'default'),
      api: pod(labelsOf('akmatori-api')),
      gateway: pod(labelsOf('akmatori-gateway')),
      worker: pod(labelsOf('akmatori-worker')),
      migrate: pod(labelsOf('akmatori-migrate')),
      // The overlay's database range; the outside: a public host and a private SSH host.
      postgres: { kind: 'address', ip: '10.40.0.5' },
      'outside-https': { kind: 'address', ip: '203.0.113.7' },
      'outside-ssh': { kind: 'address', ip: '10.50.0.9' },
      dns: pod({ 'k8s-app': 'kube-dns' }, 'kube-system'),
    };
  });

  /** Whether compose lets `source` reach `target`: a shared network, or any non-internal one for the outside. */
  function composeAllows(source: Name, target: Target): boolean | undefined {
    const from = composeName[source];
    if (from === undefined || target === 'dns') return undefined;
    const networksOf = (service: string): string[] => compose.services[service]?.networks ?? [];
    if (target === 'outside-https' || target === 'outside-ssh')
      return networksOf(from).some((network) => compose.networks[network]?.internal !== true);
    const to = composeName[target];
    if (to === undefined) return undefined;
    return networksOf(from).some((network) => networksOf(to).includes(network));
  }

  it('allow exactly the connections of the design, and nothing else', () => {
    const allowed: string[] = [];
    for (const source of ['ingress', 'other', 'api', 'gateway', 'worker', 'migrate'] as Name[])
      for (const target of Object.keys(targets) as Target[]) {
        if (source === target) continue;
        // Pods of other namespaces are not ours to police: only what they may reach of ours.
        if ((source === 'ingress' || source === 'other') && !ours.includes(target)) continue;
        const { port, protocol } = targets[target];
        if (allows(policies, endpoints[source], endpoints[target], port, protocol))
          allowed.push(`${source}->${target}`);
      }
    expect(allowed.sort()).toEqual([...expected].sort());
  });

  it('allow no connection the compose networks forbid, and each one they carry is one compose allows', () => {
    for (const flow of expected) {
      const [source, target] = flow.split('->') as [Name, Target];
      expect(composeAllows(source, target) ?? true, `${flow} is allowed by compose`).toBe(true);
    }
    for (const source of ['ingress', 'api', 'gateway', 'worker', 'migrate'] as Name[])
      for (const target of Object.keys(targets) as Target[]) {
        if (composeAllows(source, target) !== false) continue;
        expect(expected.has(`${source}->${target}`), `${source}->${target}`).toBe(false);
      }
  });

  it('deny by default: a pod the design does not name reaches nothing and nothing reaches it', () => {
    const stranger: Endpoint = {
      kind: 'pod',
      namespace: 'akmatori',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'akmatori' },
      labels: { app: 'debug-shell' },
    };
    expect(allows(policies, stranger, endpoints.api, 8080)).toBe(false);
    expect(allows(policies, stranger, endpoints['outside-https'], 443)).toBe(false);
    expect(allows(policies, endpoints.api, stranger, 8080)).toBe(false);
  });
});
