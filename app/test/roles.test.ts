import { randomUUID } from 'node:crypto';
import type { InjectRequest } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// Every authenticated operation the API documents is walked from its own OpenAPI document:
// anonymous callers get 401, every role below the one the operation declares gets 403
// AKM_FORBIDDEN (as a logged-in user and as an API token), and the declared role gets in.

type Role = 'viewer' | 'responder' | 'admin';
const roleOrder: readonly Role[] = ['viewer', 'responder', 'admin'];
type Method = InjectRequest['method'];

interface Operation {
  /** e.g. `PATCH /api/users/{id}`, as the document names it. */
  readonly name: string;
  readonly method: Method;
  /** The path with its parameters filled in. */
  readonly url: string;
  readonly role: Role;
  readonly hasBody: boolean;
}

interface OpenApiOperation {
  security?: Record<string, unknown>[];
  'x-akmatori-role'?: string;
  requestBody?: unknown;
  parameters?: { in: string; name: string; schema?: { format?: string } }[];
}

/** Operations only a logged-in user can call: a token is told to use a session. */
const sessionOnly = new Set(['POST /auth/logout', 'POST /auth/password']);

let host: TestHost;
let documented: Record<string, Record<string, OpenApiOperation>>;
let operations: Operation[];
const sessions = {} as Record<Role, string>;
const tokens = {} as Record<Role, string>;

async function login(username: string, password: string): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ token: string }>().token;
}

/** An API token the caller makes for itself (so it gets the caller's role). */
async function ownToken(session: string, name: string): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: bearer(session),
    payload: { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string }>().token;
}

/** Fills `{id}`-style path parameters: a random uuid where one is expected, else `x`. */
function fillPath(path: string, operation: OpenApiOperation): string {
  return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
    return parameter?.schema?.format === 'uuid' ? randomUUID() : 'x';
  });
}

const send = (operation: Operation, token?: string, method: Method = operation.method) =>
  host.inject({
    method,
    url: operation.url,
    ...(token === undefined ? {} : { headers: bearer(token) }),
    ...(operation.hasBody && method !== 'HEAD' ? { payload: {} } : {}),
  });

const codeOf = (body: string): unknown => {
  try {
    return (JSON.parse(body) as { code?: unknown }).code;
  } catch {
    return undefined;
  }
};

beforeAll(async () => {
  host = await startApp();
  sessions.admin = await setUpAdmin(host);
  tokens.admin = await ownToken(sessions.admin, 'admin walker');
  for (const role of ['viewer', 'responder'] as const) {
    const created = await host.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(sessions.admin),
      payload: { username: `${role}-walker`, password: 'walker password', role },
    });
    expect(created.statusCode, created.body).toBe(201);
    sessions[role] = await login(`${role}-walker`, 'walker password');
    tokens[role] = await ownToken(sessions[role], `${role} walker`);
  }

  const response = await host.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  documented = response.json<{ paths: typeof documented }>().paths;
  operations = [];
  for (const [path, item] of Object.entries(documented)) {
    for (const [method, operation] of Object.entries(item)) {
      const role = operation['x-akmatori-role'];
      if (operation.security === undefined || role === undefined) continue;
      operations.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase() as Method,
        url: fillPath(path, operation),
        role: role as Role,
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
}, 120_000);

afterAll(async () => {
  await host?.close();
});

describe('roles on every documented operation', () => {
  it('every /api operation is secured and declares its role', () => {
    const undeclared: string[] = [];
    for (const [path, item] of Object.entries(documented)) {
      if (!path.startsWith('/api/') || path === '/api/openapi.json') continue;
      if (path === '/api/docs' || path.startsWith('/api/docs/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        const role = operation['x-akmatori-role'];
        const secured = JSON.stringify(operation.security) === JSON.stringify([{ bearer: [] }]);
        if (!secured || role === undefined || !roleOrder.includes(role as Role)) {
          undeclared.push(`${method.toUpperCase()} ${path} (role ${String(role)})`);
        }
      }
    }
    expect(undeclared, 'operations without security or x-akmatori-role').toEqual([]);
  });

  it('the walk covers the whole API, logout and password change included', () => {
    expect(operations.length).toBeGreaterThanOrEqual(55);
    const byName = new Map(operations.map((operation) => [operation.name, operation.role]));
    expect(byName.get('POST /auth/logout')).toBe('viewer');
    expect(byName.get('POST /auth/password')).toBe('viewer');
    expect(byName.get('POST /api/users')).toBe('admin');
    expect(byName.get('POST /api/approvals/{id}/approve')).toBe('responder');
    expect(new Set(operations.map((operation) => operation.role))).toEqual(new Set(roleOrder));
  });

  it('refuses a caller without a valid credential with 401', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      for (const token of [undefined, 'akm_not-a-real-token', 'aks_not-a-real-session']) {
        const response = await send(operation, token);
        if (response.statusCode !== 401) {
          wrong.push(`${operation.name} with ${token ?? 'no token'}: ${response.statusCode}`);
        }
      }
    }
    expect(wrong, 'operations that did not answer 401').toEqual([]);
  }, 120_000);

  it('refuses every role below the declared one with 403 AKM_FORBIDDEN, session and token alike', async () => {
    const wrong: string[] = [];
    let refusals = 0;
    for (const operation of operations) {
      const below = roleOrder.slice(0, roleOrder.indexOf(operation.role));
      for (const role of below) {
        for (const [kind, token] of [
          ['session', sessions[role]],
          ['token', tokens[role]],
        ] as const) {
          const response = await send(operation, token);
          const code = codeOf(response.body);
          refusals++;
          if (response.statusCode !== 403 || code !== 'AKM_FORBIDDEN') {
            wrong.push(`${operation.name} as ${role} ${kind}: ${response.statusCode} ${code}`);
          }
          if (operation.method === 'GET') {
            const head = await send(operation, token, 'HEAD');
            if (head.statusCode !== 403) {
              wrong.push(`HEAD of ${operation.name} as ${role} ${kind}: ${head.statusCode}`);
            }
          }
        }
      }
    }
    expect(wrong, 'operations a lower role was not refused').toEqual([]);
    // Most of the API is admin or responder only, so the walk refuses many calls.
    expect(refusals).toBeGreaterThan(100);
  }, 180_000);

  it('lets the declared role through, session and token alike', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      // Logging out would end the session the walk uses: the next test logs out a spare one.
      const kinds = operation.name === 'POST /auth/logout' ? ['token'] : ['session', 'token'];
      for (const kind of kinds) {
        const token = kind === 'session' ? sessions[operation.role] : tokens[operation.role];
        const response = await send(operation, token);
        const code = codeOf(response.body);
        if (kind === 'token' && sessionOnly.has(operation.name) && response.statusCode === 403) {
          if (code !== 'AKM_SESSION_REQUIRED') wrong.push(`${operation.name} as token: ${code}`);
          continue;
        }
        if (response.statusCode === 401 || response.statusCode === 403) {
          wrong.push(
            `${operation.name} as ${operation.role} ${kind}: ${response.statusCode} ${code}`,
          );
        }
      }
    }
    expect(wrong, 'operations the declared role was refused').toEqual([]);
    // The walk's own credentials still work: nothing it did as the allowed role ended them.
    for (const role of roleOrder) {
      for (const token of [sessions[role], tokens[role]]) {
        const me = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
        expect(me.statusCode, `${role}: ${me.body}`).toBe(200);
        expect(me.json()).toMatchObject({ role });
      }
    }
  }, 180_000);

  it('lets a viewer log out, ending only that session', async () => {
    const spare = await login('viewer-walker', 'walker password');
    const logout = await host.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(spare),
    });
    expect(logout.statusCode, logout.body).toBe(204);
    const after = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(spare) });
    expect(after.statusCode).toBe(401);
    const other = await host.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer(sessions.viewer),
    });
    expect(other.statusCode).toBe(200);
  });
});
