import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppErrors } from '../errors.js';
import { dashboardCsp } from './dashboard-csp.js';

/**
 * Where `npm run build:web` writes the dashboard: `app/web/dist`, the same two levels up
 * from `app/src/server` (tests) and `app/dist/server` (the built app).
 */
export const dashboardRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the API: an unknown one is the API's JSON 404, never the dashboard. */
const apiPrefixes = ['/api', '/auth', '/webhook', '/ws'] as const;

/** Vite's content-hashed output: safe to cache for a year. */
const HASHED_ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function isApiPath(pathname: string): boolean {
  return apiPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** The file under `root` a URL path names, or undefined when there is none (or it escapes). */
function fileFor(root: string, pathname: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  if (relative === '' || relative.includes('\0')) return undefined;
  const full = path.resolve(root, relative);
  if (!full.startsWith(root + path.sep)) return undefined;
  try {
    return statSync(full).isFile() ? path.relative(root, full) : undefined;
  } catch {
    return undefined;
  }
}

/** The API's JSON 404 (the app's not-found handler). */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

/** Cache headers by kind of file: hashed assets forever, anything else revalidated. */
function setCacheControl(reply: FastifyReply, relative: string): void {
  const hashed = relative.split(path.sep).join('/').startsWith(HASHED_ASSETS);
  void reply.header('cache-control', hashed ? IMMUTABLE : 'no-cache');
}

/**
 * Serves the dashboard (a Vue single-page app) at `/`: the built files of `root`, with
 * `index.html` for every other GET path so client routes such as `/incidents` survive a
 * reload. Unknown `/api`, `/auth`, `/webhook` and `/ws` paths, and missing files with an
 * extension, keep the API's JSON 404. Hashed assets are cached for a year; `index.html` is
 * revalidated on every load and carries the dashboard's Content-Security-Policy (no inline
 * scripts). When the dashboard is not built, `/` answers 503 `AKM_DASHBOARD_NOT_BUILT`.
 *
 * @example
 * ```ts
 * await app.register(dashboard, { root: dashboardRoot });
 * ```
 */
export async function dashboard(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = path.resolve(options.root);
  const built = existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      serve: false,
      index: false,
      dotfiles: 'ignore',
      cacheControl: false,
      etag: true,
      lastModified: true,
      setHeaders: (reply, file) => setCacheControl(reply, path.relative(root, file)),
    });
  }
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (isApiPath(pathname)) return notFound(reply);
    if (!built) throw AppErrors.AKM_DASHBOARD_NOT_BUILT();
    const file = fileFor(root, pathname);
    // A missing file with an extension is a 404, not the page: a stale asset must not load
    // HTML as JavaScript.
    if (file === undefined && /\.[^/]*$/.test(pathname)) return notFound(reply);
    const served = file ?? 'index.html';
    if (served.endsWith('.html'))
      void reply.header(
        'content-security-policy',
        dashboardCsp({ https: request.protocol === 'https' }),
      );
    return reply.sendFile(served);
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}
