import { createAjv } from '@akmatori/core';
import {
  WORKER_PROTOCOL_VERSION,
  WorkerCloseCodes,
  workerMessageLimits,
  workerMessageSchema,
  type WorkerMessage,
} from '@akmatori/runner-codex';
import type { RawData } from 'ws';

/** A worker's message as the hub takes it, or why it refuses it (with the close code to use). */
export type CheckedWorkerMessage =
  | { readonly ok: true; readonly message: WorkerMessage }
  | { readonly ok: false; readonly code: number; readonly reason: string };

function compileValidator() {
  return createAjv({ discriminator: true, allowUnionTypes: true }).compile<WorkerMessage>(
    workerMessageSchema,
  );
}
// Compiled at the first worker message rather than when serve starts (~0.1 s of its start).
let compiled: ReturnType<typeof compileValidator> | undefined;

/** The size limit of a message of `type`, in bytes. */
export function messageLimit(type: string): number {
  if (type === 'run.event') return workerMessageLimits.maxEventBytes;
  if (type === 'run.finished') return workerMessageLimits.maxMessageBytes;
  return workerMessageLimits.maxControlBytes;
}

/**
 * Parses and checks one WebSocket message of a worker: JSON, within the size limit of its
 * type (`workerMessageLimits`), a `hello` of the supported protocol version, and valid against
 * `workerMessageSchema`. Whether the worker may speak of the run it names is the hub's check.
 */
export function checkWorkerMessage(data: RawData): CheckedWorkerMessage {
  const bytes = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return refused(WorkerCloseCodes.invalidMessage, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refused(WorkerCloseCodes.invalidMessage, 'not a JSON object');
  const type = (parsed as { type?: unknown }).type;
  if (typeof type !== 'string') return refused(WorkerCloseCodes.invalidMessage, 'no type');
  const limit = messageLimit(type);
  if (bytes.length > limit)
    return refused(
      WorkerCloseCodes.tooLarge,
      `a ${type.slice(0, 40)} message of ${bytes.length} bytes is over its limit of ${limit}`,
    );
  if (type === 'hello' && (parsed as { protocol?: unknown }).protocol !== WORKER_PROTOCOL_VERSION)
    return refused(
      WorkerCloseCodes.unsupportedProtocol,
      `protocol ${WORKER_PROTOCOL_VERSION} only`,
    );
  const validate = (compiled ??= compileValidator());
  if (!validate(parsed)) {
    const [first] = validate.errors ?? [];
    const what = type.slice(0, 40);
    const where = first === undefined || first.instancePath === '' ? '' : first.instancePath;
    if (first?.keyword === 'discriminator')
      return refused(
        WorkerCloseCodes.invalidMessage,
        where === ''
          ? `unknown message type ${what}`
          : `invalid ${what}: ${where} has an unknown type`,
      );
    return refused(
      WorkerCloseCodes.invalidMessage,
      `invalid ${what}: ${where || '(message)'} ${first?.message ?? 'is invalid'}`,
    );
  }
  return { ok: true, message: parsed };
}

const refused = (code: number, reason: string): CheckedWorkerMessage => ({
  ok: false,
  code,
  reason,
});

/** `text` as a WebSocket close reason: cut to at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}
