/**
 * What a user or token may do. Each role includes everything the roles before it may do:
 * - `viewer` reads incidents, runs and reports;
 * - `responder` also acknowledges, resolves, re-investigates, follows up, and approves or
 *   denies commands;
 * - `admin` also manages sources, tools, skills, settings, users, tokens and workers.
 */
export const roles = ['viewer', 'responder', 'admin'] as const;

/** One of {@link roles}. */
export type Role = (typeof roles)[number];

/** True when `held` allows what `needed` allows. */
export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
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
