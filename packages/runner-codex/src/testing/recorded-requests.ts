import type { RecordedRequest } from './scripted-model.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const inputItems = (request: RecordedRequest): Json[] =>
  Array.isArray(request.body.input) ? request.body.input.filter(isObject) : [];

/**
 * What a tool returned to the model: a string for the shell (`Chunk ID: …\nOutput:\nhi\n`), an
 * array of `{type: 'input_text', text}` parts for MCP tools (or a string when the tool also
 * returned structured content).
 */
export type FunctionCallOutput = string | readonly unknown[];

/**
 * The output of the last `function_call_output` Codex sent, searching the requests from the
 * newest; undefined when no request carries one.
 *
 * @example
 * ```ts
 * expect(outputText(lastFunctionCallOutput(model.requests))).toContain('Output:\nhi');
 * ```
 */
export function lastFunctionCallOutput(
  requests: readonly RecordedRequest[],
): FunctionCallOutput | undefined {
  for (const request of [...requests].reverse()) {
    const outputs = inputItems(request).filter((item) => item.type === 'function_call_output');
    const last = outputs.at(-1);
    if (last !== undefined) {
      const { output } = last;
      return Array.isArray(output) ? output : String(output);
    }
  }
  return undefined;
}

/** The text of a function call output: the string itself, or its text parts joined by newlines. */
export function outputText(output: FunctionCallOutput | undefined): string {
  if (output === undefined) return '';
  if (typeof output === 'string') return output;
  return output
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** One message of a request's input (developer instructions, AGENTS.md, user prompt, answers). */
export interface InputMessage {
  readonly role: string;
  readonly text: string;
}

/** The messages of a request's input, each with its text parts joined. */
export function inputMessages(request: RecordedRequest): InputMessage[] {
  return inputItems(request)
    .filter((item) => item.type === 'message')
    .map((item) => ({
      role: String(item.role),
      text: (Array.isArray(item.content) ? item.content : [])
        .map((part: unknown) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
        .join(''),
    }));
}
