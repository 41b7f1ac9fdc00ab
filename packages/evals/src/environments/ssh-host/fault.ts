/** What a fault gets while the harness prepares a host. */
export interface HostFaultContext {
  /** The host's name (its hostname inside its namespaces). */
  readonly hostname: string;
  /** A harness directory outside the host for files a fault prepares; removed on stop. */
  readonly stageDir: string;
}

/** How a fault breaks its host: shell lines its init runs and environment its processes get. */
export interface HostFaultSetup {
  /**
   * POSIX sh lines the host's init runs as root inside the host's namespaces, after the host's
   * own /etc (copy-on-write), /var, /opt, /srv, /run and /tmp exist and before it is ready.
   */
  readonly script: readonly string[];
  /** Environment of every process of the host: its init's children and every SSH command. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * One kind of fault an `ssh-host` environment builds for real (`faults: [{ kind: ... }]`).
 *
 * @example
 * ```ts
 * const noop: HostFault<{ kind: 'noop' }> = {
 *   kind: 'noop',
 *   schema: { type: 'object', required: ['kind'], properties: { kind: { const: 'noop' } } },
 *   prepare: () => Promise.resolve({ script: [] }),
 * };
 * ```
 */
export interface HostFault<Spec extends { readonly kind: string }> {
  readonly kind: Spec['kind'];
  /** JSON Schema of the fault's spec, `kind` included. */
  readonly schema: Readonly<Record<string, unknown>>;
  prepare(spec: Spec, context: HostFaultContext): Promise<HostFaultSetup>;
}

/** A path the host owns: under its private /etc, /var, /opt, /srv, /run or /tmp, no `..`. */
export const hostPathSchema = {
  type: 'string',
  pattern: '^/(etc|var|opt|srv|run|tmp)(/(?!\\.\\.?/|\\.\\.?$)[A-Za-z0-9._@+-]+)+$',
  maxLength: 200,
} as const;

/** A mount point the host owns (not under /etc). */
export const hostMountSchema = {
  type: 'string',
  pattern: '^/(var|opt|srv|run|tmp)(/(?!\\.\\.?/|\\.\\.?$)[A-Za-z0-9._@+-]+)+$',
  maxLength: 200,
} as const;

/** A short text placed in a shell-quoted string (no NUL). */
export const textSchema = { type: 'string', minLength: 1, maxLength: 4000 } as const;

/** A service name (`orders-api`): also its supervisor's folder and its process name. */
export const serviceNameSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9._-]{0,40}$',
} as const;

/** A program's arguments, each a plain word the shell needs no quoting for. */
export const programArgsSchema = {
  type: 'array',
  maxItems: 8,
  items: { type: 'string', pattern: '^[A-Za-z0-9._=:/@+,-]{1,100}$' },
} as const;

/** Files written before a filesystem is filled: a path, a size and the line it repeats. */
export const sizedFilesSchema = {
  type: 'array',
  maxItems: 20,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'size_kb'],
    properties: {
      path: hostPathSchema,
      size_kb: { type: 'integer', minimum: 1, maximum: 262144 },
      line: textSchema,
    },
  },
} as const;
