import type { components } from '../api/schema';
import { mayCall, type Role } from '../auth/roles';

/** A write action waiting for (or given) a person's decision, as the API lists it. */
export type Approval = components['schemas']['Approval'];

/**
 * The hosts an approval would touch, from its details (`hosts`, or a single `host`):
 * empty when the tool did not say.
 *
 * @example
 * ```ts
 * targetHosts({ details: { command: 'systemctl restart nginx', hosts: ['web-1'] } }); // ['web-1']
 * ```
 */
export function targetHosts(approval: Pick<Approval, 'details'>): string[] {
  const { hosts, host } = approval.details;
  if (Array.isArray(hosts)) return hosts.filter((name): name is string => typeof name === 'string');
  return typeof host === 'string' ? [host] : [];
}

/** The command an approval would run, when its details carry one. */
export function approvalCommand(approval: Pick<Approval, 'details'>): string | undefined {
  const { command } = approval.details;
  return typeof command === 'string' ? command : undefined;
}

/** Who decided, readable: `user:alice` reads `alice`, `api_token:ci` reads `token ci`. */
export function deciderName(decidedBy: string | null | undefined): string {
  if (decidedBy === null || decidedBy === undefined) return 'nobody (timed out)';
  if (decidedBy.startsWith('user:')) return decidedBy.slice('user:'.length);
  if (decidedBy.startsWith('api_token:')) return `token ${decidedBy.slice('api_token:'.length)}`;
  return decidedBy;
}

/** Pending approvals first (soonest to expire first), then decided ones, newest first. */
export function splitApprovals(all: readonly Approval[]): {
  pending: Approval[];
  decided: Approval[];
} {
  const pending = all
    .filter((approval) => approval.status === 'pending')
    .sort((a, b) => a.expires_at.localeCompare(b.expires_at));
  const decided = all
    .filter((approval) => approval.status !== 'pending')
    .sort((a, b) => (b.decided_at ?? b.created_at).localeCompare(a.decided_at ?? a.created_at));
  return { pending, decided };
}

/**
 * Whether `role` is offered Approve and Deny: responders and admins, as the API declares.
 *
 * @example
 * ```ts
 * mayDecide('viewer'); // false
 * ```
 */
export function mayDecide(role: Role | undefined): boolean {
  return (
    mayCall(role, 'POST /api/approvals/{id}/approve') &&
    mayCall(role, 'POST /api/approvals/{id}/deny')
  );
}
