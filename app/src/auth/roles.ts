import type { UserRole } from '@akmatori/host';

/**
 * What a user or token may do. Each role includes everything the roles before it may do:
 * - `viewer` reads incidents, runs and reports;
 * - `responder` also acknowledges, resolves, re-investigates, follows up, and approves or
 *   denies commands;
 * - `admin` also manages sources, tools, skills, settings, users, tokens and workers.
 */
export const roles: readonly Role[] = Object.freeze(['viewer', 'responder', 'admin'] as const);

/** One of {@link roles}. */
export type Role = UserRole;

/** True when `held` allows what `needed` allows. */
export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/** The weaker of two roles. */
export function weakerRole(a: Role, b: Role): Role {
  return roleAllows(a, b) ? b : a;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The least role that may call this `/api` route. Every authenticated route declares one;
     * the server refuses to start when a route does not.
     */
    role?: Role;
  }
}
