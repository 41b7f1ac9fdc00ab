/**
 * The dashboard page's directives. Scripts only from this origin, none inline and no `eval`
 * (Vite emits no inline script; Vue's templates are compiled at build time); no plugins; no
 * framing; API calls and the event socket to this origin only (`'self'` covers `ws:`/`wss:`
 * of the same host). Inline styles are allowed because the component library (naive-ui)
 * injects its theme as `<style>` elements at run time and takes no nonce; agent output is
 * sanitized before it is rendered, so it cannot bring styles of its own.
 */
const directives: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['base-uri', "'self'"],
  ['object-src', "'none'"],
  ['script-src', "'self'"],
  ['script-src-attr', "'none'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'self'"],
];

/**
 * The Content-Security-Policy of the dashboard's pages. `upgrade-insecure-requests` only
 * when the page itself came over HTTPS: on plain HTTP (a LAN install reached by IP address)
 * it would turn every script and API call into an https request that nothing answers.
 *
 * @example
 * ```ts
 * reply.header('content-security-policy', dashboardCsp({ https: request.protocol === 'https' }));
 * ```
 */
export function dashboardCsp(options: { https: boolean }): string {
  const parts = directives.map(([name, value]) => `${name} ${value}`);
  if (options.https) parts.push('upgrade-insecure-requests');
  return parts.join('; ');
}
