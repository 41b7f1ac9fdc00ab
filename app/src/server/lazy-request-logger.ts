import type { Logger } from '@akmatori/core';

type LogMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * A request logger that becomes a real pino child only when something is logged at an
 * enabled level. Fastify makes a child logger for every request, and a pino child with
 * redaction costs measurable time on the webhook hot path, where a successful request logs
 * nothing at all.
 */
export function lazyRequestLogger(
  parent: Logger,
  bindings: Record<string, unknown>,
  options: { level?: string },
): Logger {
  return new LazyLogger(parent, bindings, options) as unknown as Logger;
}

/**
 * The lazy logger's shape: methods on the prototype, so making one per request allocates one
 * small object and no closures.
 */
class LazyLogger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  readonly #options: { level?: string };
  #real: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>, options: { level?: string }) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get level(): string {
    return this.#real?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#materialize().level = level;
  }

  child(childBindings: Record<string, unknown>, childOptions?: object): Logger {
    return this.#materialize().child(childBindings, childOptions as never);
  }

  isLevelEnabled(level: string): boolean {
    return (this.#parent.levels.values[level] ?? Infinity) >= this.#threshold();
  }

  bindings(): Record<string, unknown> {
    return this.#materialize().bindings();
  }

  flush(): void {
    this.#parent.flush();
  }

  silent(): void {}

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  #log(method: LogMethod, args: unknown[]): void {
    if ((this.#parent.levels.values[method] ?? 0) < this.#threshold()) return;
    (this.#materialize()[method] as (...a: unknown[]) => void)(...args);
  }

  #threshold(): number {
    return this.#parent.levels.values[this.level] ?? 0;
  }

  #materialize(): Logger {
    this.#real ??= this.#parent.child(this.#bindings, this.#options as never);
    return this.#real;
  }
}
