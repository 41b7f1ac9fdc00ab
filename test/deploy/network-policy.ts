import { BlockList, isIPv4 } from 'node:net';

/** A label selector (`matchLabels`, `matchExpressions`). */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyRule {
  readonly ports?: { protocol?: string; port?: number | string; endPort?: number }[];
  readonly to?: PolicyPeer[];
  readonly from?: PolicyPeer[];
}

/** A `networking.k8s.io/v1` NetworkPolicy, as rendered. */
export interface NetworkPolicy {
  readonly metadata: { name: string; namespace?: string };
  readonly spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

/** One end of a connection: a pod (its labels, its namespace's labels) or an outside address. */
export type Endpoint =
  | {
      readonly kind: 'pod';
      readonly namespace: string;
      readonly namespaceLabels: Record<string, string>;
      readonly labels: Record<string, string>;
    }
  | { readonly kind: 'address'; readonly ip: string };

/** Whether `labels` satisfy `selector` (an empty selector selects everything). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === 'In'
        ? has && values.includes(labels[key]!)
        : operator === 'NotIn'
          ? !has || !values.includes(labels[key]!)
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

function inBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const family = isIPv4(ip) ? 'ipv4' : 'ipv6';
  const [network, prefix] = block.cidr.split('/');
  const within = new BlockList();
  within.addSubnet(network!, Number(prefix), isIPv4(network!) ? 'ipv4' : 'ipv6');
  if (!within.check(ip, family)) return false;
  return !(block.except ?? []).some((cidr) => inBlock(ip, { cidr }));
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock !== undefined)
    return other.kind === 'address' && inBlock(other.ip, peer.ipBlock);
  if (other.kind !== 'pod') return false;
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? other.namespace === policyNamespace
      : selects(peer.namespaceSelector, other.namespaceLabels);
  return namespaceOk && selects(peer.podSelector ?? {}, other.labels);
}

function portMatches(rule: PolicyRule, port: number, protocol: string): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  return rule.ports.some(
    (entry) =>
      (entry.protocol ?? 'TCP') === protocol &&
      (entry.port === undefined ||
        (typeof entry.port === 'number' &&
          port >= entry.port &&
          port <= (entry.endPort ?? entry.port))),
  );
}

/** Whether the policies of `pod`'s namespace let it send (`Egress`) to or take (`Ingress`) from `other`. */
function directionAllows(
  policies: readonly NetworkPolicy[],
  pod: Extract<Endpoint, { kind: 'pod' }>,
  direction: 'Ingress' | 'Egress',
  other: Endpoint,
  port: number,
  protocol: string,
): boolean {
  const applying = policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? pod.namespace) === pod.namespace &&
      selects(policy.spec.podSelector, pod.labels) &&
      (policy.spec.policyTypes ?? ['Ingress']).includes(direction),
  );
  if (applying.length === 0) return true; // no policy isolates the pod in this direction
  return applying.some((policy) =>
    ((direction === 'Egress' ? policy.spec.egress : policy.spec.ingress) ?? []).some((rule) => {
      const peers = direction === 'Egress' ? rule.to : rule.from;
      const namespace = policy.metadata.namespace ?? pod.namespace;
      return (
        portMatches(rule, port, protocol) &&
        (peers === undefined ||
          peers.length === 0 ||
          peers.some((peer) => peerMatches(peer, namespace, other)))
      );
    }),
  );
}

/**
 * Whether the policies allow a connection from `source` to `destination` on `port`: the
 * source's egress and the destination's ingress must both allow it (an outside address has no
 * policies of its own). The semantics of Kubernetes NetworkPolicy, for the fields used here.
 *
 * @example
 * ```ts
 * allows(policies, worker, { kind: 'address', ip: '203.0.113.7' }, 443); // false
 * ```
 */
export function allows(
  policies: readonly NetworkPolicy[],
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  const out =
    source.kind !== 'pod' ||
    directionAllows(policies, source, 'Egress', destination, port, protocol);
  const into =
    destination.kind !== 'pod' ||
    directionAllows(policies, destination, 'Ingress', source, port, protocol);
  return out && into;
}
