import { STATUS_CODES } from 'node:http';
import { isAkmatoriError } from '@akmatori/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';

/** Shape of every error response: `{statusCode, code, error, message, details?}`. */
export const errorResponseSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  description: 'An error. `code` is stable and documented; `message` is for people.',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', examples: ['AKM_AUTH_REQUIRED'] },
    error: { type: 'string' },
    message: { type: 'string' },
    details: {},
  },
} as const;

/** Response schema entries every route shares for error statuses. */
export const errorResponses = {
  '4xx': { $ref: 'ErrorResponse#' },
  '5xx': { $ref: 'ErrorResponse#' },
} as const;

/**
 * The one place errors become HTTP responses. Catalogued `AkmatoriError`s keep their status
 * and code; Fastify's client errors (bad JSON, too large, wrong media type) keep theirs;
 * schema validation failures become `AKM_VALIDATION`; anything else is logged and answered
 * with a bare 500 that leaks nothing. A 429 whose details carry `retry_after_seconds` gets
 * that as its Retry-After header.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.addSchema(errorResponseSchema);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let statusCode: number;
    let code: string;
    let message: string;
    let details: unknown;
    if (isAkmatoriError(error)) {
      ({ statusCode, code, message, details } = error);
    } else if (error.validation !== undefined) {
      statusCode = 400;
      code = AppErrors.AKM_VALIDATION.code;
      message = withAllowedValues(
        `${error.validationContext ?? 'request'} ${error.message.replace(/^(body|querystring|params|headers)\s*/, '')}`,
        error.validation[0],
      );
      details = error.validation.map((v) => ({
        path: v.instancePath,
        message: withAllowedValues(v.message ?? '', v),
      }));
    } else if (
      typeof error.statusCode === 'number' &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      statusCode = error.statusCode;
      code = error.code ?? `HTTP_${statusCode}`;
      message = error.message;
    } else {
      request.log.error({ err: error }, 'unhandled error');
      const internal = AppErrors.AKM_INTERNAL({ requestId: String(request.id) });
      ({ statusCode, code, message } = internal);
    }
    if (statusCode >= 500 && isAkmatoriError(error))
      request.log.error({ err: error }, error.message);
    if (statusCode === 401) void reply.header('www-authenticate', 'Bearer realm="akmatori"');
    const retryAfter = retryAfterSeconds(details);
    if (statusCode === 429 && retryAfter !== undefined)
      void reply.header('retry-after', retryAfter);
    return reply.status(statusCode).send({
      statusCode,
      code,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message,
      ...(details === undefined ? {} : { details }),
    });
  });

  app.setNotFoundHandler((request) => {
    throw AppErrors.AKM_ROUTE_NOT_FOUND({
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    });
  });
}

/** `retry_after_seconds` from an error's details, which becomes the Retry-After header. */
function retryAfterSeconds(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const seconds = (details as { retry_after_seconds?: unknown }).retry_after_seconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? String(Math.ceil(seconds))
    : undefined;
}

/** A message about a value outside an enum, with the values allowed ("…: firing, resolved"). */
function withAllowedValues(
  message: string,
  failure: { keyword?: string; params?: Record<string, unknown> } | undefined,
): string {
  const allowed = failure?.keyword === 'enum' ? failure.params?.allowedValues : undefined;
  if (!Array.isArray(allowed)) return message;
  return `${message}: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
}
