import { operationRoles, type RoleOperation } from '../api/operation-roles';

/** What a user or token may do: each role includes the ones before it. */
export type Role = 'viewer' | 'responder' | 'admin';

const ORDER: readonly Role[] = ['viewer', 'responder', 'admin'];

/** True when `held` allows what `needed` allows. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ORDER.indexOf(held) >= ORDER.indexOf(needed);
}

/**
 * Whether `role` may call `operation`, by the role the API declares for it
 * (`x-akmatori-role`, generated into `operation-roles.ts`). The dashboard offers only what
 * this allows; the API refuses the rest anyway.
 *
 * @example
 * ```ts
 * mayCall('viewer', 'POST /api/incidents'); // false: responders open incidents
 * ```
 */
export function mayCall(role: Role | undefined, operation: RoleOperation): boolean {
  return role !== undefined && roleAllows(role, operationRoles[operation]);
}

/**
 * The roles a holder of `held` may hand on (to an API token): its own and those below it.
 *
 * @example
 * ```ts
 * rolesUpTo('responder'); // ['viewer', 'responder']
 * ```
 */
export function rolesUpTo(held: Role | undefined): Role[] {
  return held === undefined ? [] : ORDER.filter((role) => roleAllows(held, role));
}
