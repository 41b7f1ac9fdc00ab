import type { Repositories } from '@akmatori/host';
import type {
  ApprovalView,
  IncidentView,
  RunView,
  SlackIncidentSource,
} from '@akmatori/notifier-slack';
import type { Knex } from 'knex';
import type { RunRecord, RunRepository } from '../runs/run-repository.js';

/** What {@link SlackIncidentData} reads from. */
export interface SlackIncidentDataDeps {
  readonly knex: Knex;
  readonly repositories: Pick<Repositories, 'incidents'>;
  readonly runs: RunRepository;
  /** The channel incidents go to when nothing else names one. */
  readonly defaultChannel: () => string | null;
  /** Where users reach Akmatori, for links. */
  readonly publicUrl: () => string;
}

const runView = (run: RunRecord): RunView => ({
  id: run.id,
  kind: run.kind,
  status: run.status,
  prompt: run.prompt,
  reportMarkdown: run.reportMarkdown,
  error: run.error,
});

const actorName = (actor: { name: string } | null): string | null => actor?.name ?? null;

/** The incident data the Slack messages show, read from the database each time they are drawn. */
export class SlackIncidentData implements SlackIncidentSource {
  readonly #deps: SlackIncidentDataDeps;

  constructor(deps: SlackIncidentDataDeps) {
    this.#deps = deps;
  }

  /** The incident's page in the dashboard. */
  incidentUrl(incidentId: string): string {
    return `${this.#deps.publicUrl().replace(/\/+$/, '')}/incidents/${incidentId}`;
  }

  async incident(incidentId: string): Promise<IncidentView | undefined> {
    const incident = await this.#deps.repositories.incidents.get(incidentId);
    if (incident === undefined) return undefined;
    const runs = await this.#deps.runs.listByIncident(incidentId);
    const lastReport = [...runs].reverse().find((run) => run.report !== null)?.report;
    const costs = runs.map((run) => run.costUsd).filter((cost): cost is number => cost !== null);
    const last = runs.at(-1);
    const source =
      incident.sourceId === null
        ? 'manual'
        : ((
            (await this.#deps
              .knex('alert_sources')
              .select('name')
              .where({ id: incident.sourceId })
              .first()) as { name: string } | undefined
          )?.name ?? incident.sourceType);
    const over = ['completed', 'failed', 'cancelled'].includes(incident.status);
    return {
      uuid: incident.id,
      title: incident.title,
      severity: incident.severity,
      source,
      state: incident.state,
      status: incident.status,
      firingCount: incident.firingCount,
      alertCount: incident.alertCount,
      createdAt: incident.createdAt,
      finishedAt: over ? (last?.finishedAt ?? incident.updatedAt) : null,
      confidence:
        typeof lastReport?.confidenceLevel === 'string'
          ? lastReport.confidenceLevel
          : typeof lastReport?.confidence === 'string'
            ? lastReport.confidence.slice(0, 60)
            : null,
      costUsd: costs.length === 0 ? null : costs.reduce((sum, cost) => sum + cost, 0),
      acknowledgedBy: actorName(incident.acknowledgedBy),
      resolvedBy: actorName(incident.resolvedBy),
      dashboardUrl: this.incidentUrl(incident.id),
    };
  }

  async channelFor(incidentId: string): Promise<string | undefined> {
    const incident = await this.#deps.repositories.incidents.get(incidentId);
    if (incident === undefined) return undefined;
    const started = (incident.context as { slack?: { channel?: unknown } } | null)?.slack?.channel;
    if (typeof started === 'string' && started !== '') return started;
    if (incident.sourceId !== null) {
      const row = (await this.#deps
        .knex('alert_sources')
        .select('slack_channel')
        .where({ id: incident.sourceId })
        .first()) as { slack_channel: string | null } | undefined;
      if (row?.slack_channel != null && row.slack_channel !== '') return row.slack_channel;
    }
    return this.#deps.defaultChannel() ?? undefined;
  }

  async lastRun(incidentId: string): Promise<RunView | undefined> {
    const runs = await this.#deps.runs.listByIncident(incidentId);
    const last = runs.at(-1);
    return last === undefined ? undefined : runView(last);
  }

  async run(runId: string): Promise<RunView | undefined> {
    const run = await this.#deps.runs.get(runId);
    return run === undefined ? undefined : runView(run);
  }

  async approval(approvalId: string): Promise<ApprovalView | undefined> {
    const row = (await this.#deps.knex('approvals').where({ id: approvalId }).first()) as
      | {
          id: string;
          incident_id: string;
          tool: string;
          summary: string;
          details: Record<string, unknown> | null;
          status: string;
          decided_by: string | null;
          decided_at: Date | null;
          expires_at: Date;
        }
      | undefined;
    if (row === undefined) return undefined;
    const details = row.details ?? {};
    const hosts = Array.isArray(details.hosts)
      ? details.hosts.map(String)
      : typeof details.host === 'string'
        ? [details.host]
        : [];
    const expired = row.status === 'pending' && row.expires_at.getTime() <= Date.now();
    return {
      id: row.id,
      incidentId: row.incident_id,
      tool: row.tool,
      summary: row.summary,
      hosts,
      expiresAt: row.expires_at,
      status: expired ? 'expired' : row.status,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
    };
  }
}
