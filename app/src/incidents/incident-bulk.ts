import { type IncidentActor, isAkmatoriError, type Logger } from '@akmatori/core';
import type { IncidentRecord } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import type { RunControl } from '../runs/run-control.js';
import { checkSkillNames } from '../runs/skill-scope.js';
import type { IncidentLifecycle } from './incident-lifecycle.js';
import { reinvestigate, type ReinvestigationDeps } from './reinvestigation.js';

/** What a bulk request can do to each incident it names. */
export const bulkActions = ['acknowledge', 'resolve', 'reopen', 'investigate', 'cancel'] as const;

/** One of {@link bulkActions}. */
export type BulkAction = (typeof bulkActions)[number];

/** What happened to one incident of a bulk request. */
export interface BulkItemResult {
  readonly id: string;
  /** `done`; `unchanged` (already in the state asked for); `refused` (see `error`). */
  readonly outcome: 'done' | 'unchanged' | 'refused';
  /** The incident as it is now; null when there is none with this id. */
  readonly incident: IncidentRecord | null;
  /** Why it was refused: the code and message the single-incident route would answer. */
  readonly error: {
    readonly statusCode: number;
    readonly code: string;
    readonly message: string;
  } | null;
}

/** What {@link IncidentBulk} needs. */
export interface IncidentBulkDeps {
  readonly lifecycle: Pick<IncidentLifecycle, 'apply'>;
  readonly control: Pick<RunControl, 'cancel'>;
  readonly reinvestigation: ReinvestigationDeps;
  readonly log: Logger;
}

/**
 * One action on a selection of incidents, as the single-incident routes do it, one incident
 * after the other: acknowledge, resolve and reopen (idempotent), investigate again (as
 * `POST …/investigate`), cancel (as `POST …/cancel`, without waiting for runs to stop). An
 * incident that cannot take the action is reported with the error its own route would give
 * and does not stop the others.
 *
 * @example
 * ```ts
 * const results = await bulk.apply(ids, 'resolve', actorOf(principal));
 * ```
 */
export class IncidentBulk {
  readonly #deps: IncidentBulkDeps;

  constructor(deps: IncidentBulkDeps) {
    this.#deps = deps;
  }

  /** Applies `action` to each id in order. Throws only for a bad `skills` list (`AKM_UNKNOWN_SKILL`). */
  async apply(
    ids: readonly string[],
    action: BulkAction,
    actor: IncidentActor,
    options: { skills?: readonly string[] } = {},
  ): Promise<BulkItemResult[]> {
    const { reinvestigation } = this.#deps;
    if (action === 'investigate' && options.skills !== undefined)
      await checkSkillNames(reinvestigation.skills, options.skills, { enabled: true });
    const results: BulkItemResult[] = [];
    for (const id of new Set(ids)) results.push(await this.#one(id, action, actor, options));
    return results;
  }

  async #one(
    id: string,
    action: BulkAction,
    actor: IncidentActor,
    options: { skills?: readonly string[] },
  ): Promise<BulkItemResult> {
    const { lifecycle, control, reinvestigation } = this.#deps;
    try {
      switch (action) {
        case 'acknowledge':
        case 'resolve':
        case 'reopen': {
          const { incident, changed } = await lifecycle.apply(id, action, actor);
          return { id, outcome: changed ? 'done' : 'unchanged', incident, error: null };
        }
        case 'investigate': {
          const incident = await reinvestigate(reinvestigation, id, options.skills);
          return { id, outcome: 'done', incident, error: null };
        }
        case 'cancel': {
          await control.cancel(id, `${actor.kind}:${actor.name}`, { wait: false });
          return { id, outcome: 'done', incident: await this.#current(id), error: null };
        }
      }
    } catch (error) {
      const known = isAkmatoriError(error)
        ? error
        : AppErrors.AKM_INTERNAL({ requestId: `bulk ${action} of ${id}` });
      if (!isAkmatoriError(error))
        this.#deps.log.error({ err: error, incident: id, action }, 'bulk incident action failed');
      return {
        id,
        outcome: 'refused',
        incident: (await this.#current(id).catch(() => undefined)) ?? null,
        error: { statusCode: known.statusCode, code: known.code, message: known.message },
      };
    }
  }

  async #current(id: string): Promise<IncidentRecord | null> {
    return (await this.#deps.reinvestigation.repositories.incidents.get(id)) ?? null;
  }
}
