import { randomUUID } from 'node:crypto';
import type { AlertSeverity, Clock } from '@akmatori/core';
import type { Database, IncidentRecord, Repositories } from '@akmatori/host';
import { incidentSummary, type IncidentEventBus } from './incident-event-bus.js';
import { checkSkillNames } from '../runs/skill-scope.js';
import type { SkillStore } from '../skills/skill-store.js';
import type { InvestigationQueue } from './investigation-queue.js';

/** Incidents an operator opens by hand, with a task for the agent instead of alerts. */
export class ManualIncidents {
  readonly #database: Database;
  readonly #repositories: Repositories;
  readonly #queue: InvestigationQueue;
  readonly #bus: IncidentEventBus;
  readonly #clock: Clock;
  readonly #skills: Pick<SkillStore, 'list'>;

  constructor(deps: {
    database: Database;
    repositories: Repositories;
    queue: InvestigationQueue;
    bus: IncidentEventBus;
    skills: Pick<SkillStore, 'list'>;
    clock: Clock;
  }) {
    this.#skills = deps.skills;
    this.#database = deps.database;
    this.#repositories = deps.repositories;
    this.#queue = deps.queue;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
  }

  /**
   * Opens an incident and queues its investigation at once, in one transaction. Its runs get
   * the tools of the `skills` named, or of every enabled skill when none are named: a person
   * asked for this investigation. Throws `AKM_UNKNOWN_SKILL` for an unknown or disabled name.
   */
  async create(input: {
    task: string;
    context?: Record<string, unknown>;
    severity?: AlertSeverity;
    title?: string;
    skills?: readonly string[];
  }): Promise<IncidentRecord> {
    if (input.skills !== undefined)
      await checkSkillNames(this.#skills, input.skills, { enabled: true });
    const now = this.#clock.now();
    const id = randomUUID();
    await this.#database.transaction(async (sql) => {
      await this.#repositories.incidents.insertMany(sql, [
        {
          id,
          title: input.title ?? firstLine(input.task),
          severity: input.severity ?? 'warning',
          sourceId: null,
          sourceType: 'manual',
          groupKey: null,
          task: input.task,
          context: input.context ?? null,
          investigateAfter: now,
          createdAt: now,
        },
      ]);
      if (input.skills !== undefined)
        await sql('update incidents set skills = $1::jsonb where id = $2', [
          JSON.stringify([...new Set(input.skills)]),
          id,
        ]);
      await this.#queue.enqueue(sql, { incidentId: id }, now);
    });
    const incident = (await this.#repositories.incidents.get(id)) as IncidentRecord;
    this.#bus.publish({ type: 'incident.created', incident: incidentSummary(incident) });
    return incident;
  }
}

function firstLine(task: string): string {
  const line = task.trim().split('\n')[0] ?? task;
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
