/**
 * How the agent (Codex and everything it runs) is kept away from the rest of the machine.
 * - `bwrap`: each run's Codex starts inside a bubblewrap sandbox built for it (see
 *   `bwrapArguments`): only its run directory, read-only system files and a loopback network
 *   whose one way out leads to the gateway. The default, and the only choice for a worker on a
 *   machine that also holds Akmatori's data (the embedded default).
 * - `container`: Codex runs directly, because the worker's container is the sandbox (Docker's
 *   default seccomp profile blocks bubblewrap). Only for a worker alone in its container, which
 *   holds nothing secret but the worker token and reaches only the API and the gateway.
 */
export type AgentContainment =
  | {
      readonly kind: 'bwrap';
      /** The gateway's URL as the run's Codex config names it; the only address reachable inside. */
      readonly gatewayUrl: string;
      /** The bubblewrap executable. Default: `bwrap` on PATH. */
      readonly bwrapPath?: string;
      /**
       * Whether Codex's own `workspace-write` sandbox also runs inside (nested user namespaces).
       * Default true; `probeAgentSandbox` says when the host cannot nest, and the outer sandbox
       * alone then contains the agent.
       */
      readonly innerSandbox?: boolean;
    }
  | { readonly kind: 'container' };
