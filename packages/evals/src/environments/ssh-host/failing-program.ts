import { shellQuote } from './shell.js';

/** How a failing service program is given: its own sh body, or lines it prints before exiting. */
export interface FailingProgramSpec {
  /** The program's body (sh), e.g. a real check of the host's config that fails. */
  readonly script?: string;
  /** Lines printed to stderr before exiting, when there is no `script`. */
  readonly error?: readonly string[];
  /** The exit status after `error` (1-255, default 1). */
  readonly exit_code?: number;
}

/** The JSON Schema properties of {@link FailingProgramSpec}; a spec needs `script` or `error`. */
export const failingProgramSchema = {
  oneOf: [{ required: ['script'] }, { required: ['error'] }],
  properties: {
    script: { type: 'string', minLength: 1, maxLength: 4000 },
    error: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string', maxLength: 500 },
    },
    exit_code: { type: 'integer', minimum: 1, maximum: 255 },
  },
} as const;

/** The sh body of a failing program: its `script`, or printing `error` and exiting. */
export function failingProgramBody(spec: FailingProgramSpec): string {
  return (
    spec.script ??
    [
      ...(spec.error ?? []).map((line) => `printf '%s\\n' ${shellQuote(line)} >&2`),
      `exit ${spec.exit_code ?? 1}`,
    ].join('\n')
  );
}
