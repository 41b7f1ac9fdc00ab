/**
 * JSON Schemas (draft 2020-12 subset ajv understands, with ajv's `discriminator`) of what a
 * worker may send: {@link workerMessageSchema} for every message, {@link runEventSchema} for
 * the `event` of a `run.event`. No unknown fields anywhere, every id bounded. Sizes are not
 * expressed here: see `workerMessageLimits`, checked on the message's bytes.
 *
 * @example
 * ```ts
 * const ajv = new Ajv({ discriminator: true });
 * const valid = ajv.compile(workerMessageSchema);
 * valid({ type: 'heartbeat', running: [] }); // true
 * ```
 */

/** A run id as the API hands them out (a UUID), or any single path segment a worker accepts. */
const runId = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*$',
} as const;

const runIds = { type: 'array', maxItems: 256, items: runId } as const;
const itemId = { type: 'string', maxLength: 1000 } as const;
const count = { type: 'integer', minimum: 0 } as const;

/** An object of `type` with exactly these other properties (those in `required` must be there). */
function variant<P extends Record<string, unknown>, R extends readonly (keyof P & string)[]>(
  type: string,
  properties: P,
  required: R,
): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required],
    properties: { type: { const: type }, ...properties },
  };
}

/** Schema of a core `RunEvent`. */
export const runEventSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    variant('run.started', { sessionId: { type: 'string', maxLength: 1000 } }, []),
    variant('turn.started', {}, []),
    variant('agent.message', { text: { type: 'string' }, itemId }, ['text']),
    variant('agent.reasoning', { text: { type: 'string' }, itemId }, ['text']),
    variant('agent.error', { message: { type: 'string' }, itemId }, ['message']),
    variant('command.started', { command: { type: 'string' }, itemId }, ['command']),
    variant(
      'command.updated',
      { command: { type: 'string' }, output: { type: 'string' }, itemId },
      ['command', 'output'],
    ),
    variant(
      'command.completed',
      {
        command: { type: 'string' },
        output: { type: 'string' },
        exitCode: { type: ['integer', 'null'] },
        status: { type: 'string', maxLength: 100 },
        itemId,
      },
      ['command', 'output', 'exitCode', 'status'],
    ),
    variant(
      'tool.started',
      { callId: { type: 'string', maxLength: 1000 }, tool: { type: 'string' }, input: {}, itemId },
      ['callId', 'tool', 'input'],
    ),
    variant(
      'tool.completed',
      {
        callId: { type: 'string', maxLength: 1000 },
        tool: { type: 'string' },
        output: { type: 'string' },
        isError: { type: 'boolean' },
        itemId,
      },
      ['callId', 'tool', 'output', 'isError'],
    ),
    variant(
      'file.changed',
      {
        changes: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'kind'],
            properties: {
              path: { type: 'string' },
              kind: { enum: ['add', 'delete', 'update'] },
            },
          },
        },
        status: { type: 'string', maxLength: 100 },
        itemId,
      },
      ['changes', 'status'],
    ),
    variant(
      'todo.updated',
      {
        items: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['text', 'completed'],
            properties: { text: { type: 'string' }, completed: { type: 'boolean' } },
          },
        },
        itemId,
      },
      ['items'],
    ),
    variant('web.searched', { query: { type: 'string' }, itemId }, ['query']),
    variant(
      'usage',
      {
        usage: {
          type: 'object',
          additionalProperties: false,
          required: ['inputTokens', 'outputTokens'],
          properties: {
            inputTokens: count,
            outputTokens: count,
            cachedInputTokens: count,
            reasoningTokens: count,
          },
        },
      },
      ['usage'],
    ),
    variant('run.completed', { summary: { type: 'string' } }, ['summary']),
    variant('run.failed', { error: { type: 'string' } }, ['error']),
    variant('event.unknown', { raw: {} }, ['raw']),
  ],
});

/** Schema of every message a worker sends (`WorkerMessage`). */
export const workerMessageSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    variant(
      'hello',
      {
        protocol: { type: 'integer' },
        workerId: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
        capacity: { type: 'integer', minimum: 1 },
        version: { type: 'string', maxLength: 100 },
        running: runIds,
      },
      ['protocol', 'workerId', 'capacity', 'version', 'running'],
    ),
    variant('heartbeat', { running: runIds }, ['running']),
    variant('run.accepted', { runId }, ['runId']),
    variant('run.rejected', { runId, reason: { type: 'string', maxLength: 4000 } }, [
      'runId',
      'reason',
    ]),
    variant(
      'run.event',
      {
        runId,
        seq: { type: 'integer', minimum: 1 },
        at: { type: 'string', format: 'date-time' },
        event: runEventSchema,
      },
      ['runId', 'seq', 'at', 'event'],
    ),
    variant(
      'run.finished',
      {
        runId,
        outcome: { enum: ['completed', 'failed', 'cancelled'] },
        lastSeq: count,
        sessionId: { type: 'string', maxLength: 1000 },
        session: {
          type: 'object',
          additionalProperties: false,
          required: ['gzipBase64'],
          properties: {
            gzipBase64: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' },
          },
        },
      },
      ['runId', 'outcome', 'lastSeq'],
    ),
  ],
});
