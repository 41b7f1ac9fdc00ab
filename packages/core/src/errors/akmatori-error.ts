/**
 * The one error type Akmatori packages throw for conditions a caller can act on.
 * Each error carries a stable string `code` and the HTTP status it maps to; the app's
 * error handler is the single place that turns them into responses.
 */
export class AkmatoriError extends Error {
  /** Stable, documented code such as `AKM_PLUGIN_DUPLICATE_ID`. Never changes meaning. */
  readonly code: string;
  /** HTTP status this error maps to when it reaches an API response. */
  readonly statusCode: number;
  /** Structured detail safe to show a client (never secrets). */
  readonly details: unknown;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AkmatoriError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = options.details;
  }
}

/** One entry of an error catalog: the HTTP status and how to phrase the message. */
export interface ErrorSpec<P> {
  /** HTTP status the error maps to. */
  readonly status: number;
  /** Builds the human message from the error's parameters. */
  readonly message: (params: P) => string;
}

/** Creates one kind of catalogued error. `code` is exposed for matching in tests and handlers. */
export interface ErrorFactory<P> {
  (
    ...args: [P] extends [void]
      ? [params?: void, options?: ErrorOptions]
      : [params: P, options?: ErrorOptions]
  ): AkmatoriError;
  /** The stable code every error of this kind carries. */
  readonly code: string;
  /** The HTTP status every error of this kind maps to. */
  readonly status: number;
}

/** Optional extras when raising a catalogued error. */
export interface ErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
  /** Structured detail safe to return to a client. */
  details?: unknown;
}

/**
 * Builds a package's error catalog: one table mapping stable codes to HTTP status and message.
 *
 * @example
 * ```ts
 * const Errors = defineErrorCatalog({
 *   AKM_THING_MISSING: { status: 404, message: (p: { id: string }) => `no thing ${p.id}` },
 * });
 * throw Errors.AKM_THING_MISSING({ id: '42' });
 * ```
 */
export function defineErrorCatalog<T extends Record<string, ErrorSpec<never>>>(
  specs: T,
): { readonly [K in keyof T]: ErrorFactory<Parameters<T[K]['message']>[0]> } {
  const catalog: Record<string, ErrorFactory<unknown>> = {};
  for (const [code, spec] of Object.entries(specs)) {
    const factory = ((params?: unknown, options: ErrorOptions = {}) =>
      new AkmatoriError(
        code,
        spec.status,
        (spec.message as (p: unknown) => string)(params),
        options,
      )) as ErrorFactory<unknown>;
    Object.defineProperties(factory, {
      code: { value: code, enumerable: true },
      status: { value: spec.status, enumerable: true },
    });
    catalog[code] = factory;
  }
  return Object.freeze(catalog) as never;
}

/** True when `error` is an {@link AkmatoriError}, optionally of the given catalog entry. */
export function isAkmatoriError(
  error: unknown,
  kind?: { readonly code: string },
): error is AkmatoriError {
  return error instanceof AkmatoriError && (kind === undefined || error.code === kind.code);
}
