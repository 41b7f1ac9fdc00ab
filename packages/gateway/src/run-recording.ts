/** A tool as the gateway listed it to a run over MCP (`tools/list`). */
export interface RecordedTool {
  /** The MCP name the agent calls it by (`web__execute_command`). */
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** One model call of a run: what the agent sent and what the provider streamed back. */
export interface RecordedModelExchange {
  readonly kind: 'model';
  /** The request body as forwarded (model pinned, hosted tools removed), secrets scrubbed. */
  readonly request: unknown;
  /** The provider's HTTP status. */
  readonly status: number;
  /** The provider's content type (`text/event-stream`, `application/json`). */
  readonly contentType: string;
  /** The whole response body as the worker got it, secrets scrubbed. */
  readonly response: string;
}

/** The tools the gateway listed to the run. */
export interface RecordedToolList {
  readonly kind: 'tools';
  readonly tools: readonly RecordedTool[];
}

/** One tool call of a run and the result the agent got (already scrubbed by the gateway). */
export interface RecordedToolCall {
  readonly kind: 'tool';
  /** The MCP name called. */
  readonly name: string;
  /** The provider's tool name (`execute_command`). */
  readonly tool: string;
  /** The tool instance's name. */
  readonly instance: string;
  /** The arguments, secrets scrubbed. */
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly text: string;
  readonly structured?: Readonly<Record<string, unknown>>;
  readonly isError: boolean;
}

/** The run's task as the host built it (prompt, instructions, skills, files). */
export interface RecordedTask {
  readonly kind: 'task';
  readonly task: Readonly<Record<string, unknown>>;
}

/**
 * One entry of a run's recording, in the order things happened: what replay answers the
 * agent from. Entries hold no secret value (the gateway scrubs them) and are sealed at rest.
 */
export type RecordedEntry =
  RecordedModelExchange | RecordedToolList | RecordedToolCall | RecordedTask;
