import type { Logger } from '@akmatori/core';

const methods = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

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
  let real: Logger | undefined;
  const materialize = (): Logger => (real ??= parent.child(bindings, options as never));
  const threshold = (): number =>
    parent.levels.values[real?.level ?? options.level ?? parent.level] ?? 0;
  const lazy: Record<string, unknown> = {
    child: (childBindings: Record<string, unknown>, childOptions?: object) =>
      materialize().child(childBindings, childOptions as never),
    isLevelEnabled: (level: string) => (parent.levels.values[level] ?? Infinity) >= threshold(),
    bindings: () => materialize().bindings(),
    flush: () => parent.flush(),
    silent: () => {},
  };
  for (const method of methods) {
    lazy[method] = (...args: unknown[]) => {
      if ((parent.levels.values[method] ?? 0) < threshold()) return;
      (materialize()[method] as (...a: unknown[]) => void)(...args);
    };
  }
  Object.defineProperty(lazy, 'level', {
    get: () => real?.level ?? options.level ?? parent.level,
    set: (level: string) => {
      materialize().level = level;
    },
  });
  return lazy as unknown as Logger;
}
