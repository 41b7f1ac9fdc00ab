/**
 * Where to go after logging in: the `redirect` query when it is a path in this app, else
 * the incidents list. Anything else (`//evil.example`, `https://...`) is ignored.
 */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/incidents';
}
