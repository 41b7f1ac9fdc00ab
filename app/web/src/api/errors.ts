/** The body of every API error: `{statusCode, code, error, message, details?}`. */
interface ErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
}

/**
 * An API call that did not succeed, with the API's stable `code` (e.g. `AKM_FORBIDDEN`) and
 * its message for people. Network failures have status 0 and code `NETWORK`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status, or 0 when the API could not be reached. */
    readonly status: number,
    /** The API's error code. */
    readonly code: string,
    message: string,
    /** The API's `details`, when it sent some. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What the user is shown for a failed call: the API's message and its code. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** The {@link ApiError} for a response that is not a success. */
export function apiErrorOf(response: Response, body: unknown): ApiError {
  const { code, message, details } = (
    typeof body === 'object' && body !== null ? body : {}
  ) as ErrorBody;
  return new ApiError(
    response.status,
    typeof code === 'string' ? code : `HTTP_${response.status}`,
    typeof message === 'string' ? message : `${response.status} ${response.statusText}`,
    details,
  );
}
