import type { RunEvent } from '@akmatori/core';
import type { SessionArchive } from '@akmatori/runner-codex';

/** How a run ended on its worker. */
export interface RemoteRunResult {
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  readonly workerId: string;
  readonly sessionId?: string;
  readonly session?: SessionArchive;
}

/** Raised when a run's worker disappeared (or was disconnected) before finishing it. */
export class WorkerLostError extends Error {
  constructor(
    readonly runId: string,
    readonly workerId: string,
    /** Why the hub let go of the worker, when it did so itself. */
    why?: string,
  ) {
    super(
      why === undefined
        ? `worker ${workerId} disappeared during run ${runId}`
        : `worker ${workerId} was disconnected during run ${runId}: ${why}`,
    );
    this.name = 'WorkerLostError';
  }
}

/** What the hub does with each event of a run, in order, before acknowledging it. */
export type RunEventSink = (event: { seq: number; at: Date; event: RunEvent }) => Promise<void>;

/** A run the hub gave a worker, from the offer until it is closed or lost. */
export interface RemoteRun {
  readonly runId: string;
  /** The worker it was offered to: the only one whose reports about it are taken. */
  readonly workerId: string;
  readonly sink: RunEventSink;
  readonly resolve: (result: RemoteRunResult) => void;
  readonly reject: (error: Error) => void;
  /** Events are stored one after the other. */
  chain: Promise<void>;
  lastStored: number;
  /** Since when nobody has heard of the run (its worker is away), if so. */
  unconfirmedSince: number | undefined;
  started: (accepted: boolean, reason?: string) => void;
}
