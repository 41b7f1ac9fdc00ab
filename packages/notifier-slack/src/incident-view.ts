import type { AlertSeverity, IncidentState, IncidentStatus } from '@akmatori/core';

/** Everything the root message of an incident shows, read fresh each time it is drawn. */
export interface IncidentView {
  readonly uuid: string;
  readonly title: string;
  readonly severity: AlertSeverity;
  /** The alert source's name, or `manual`. */
  readonly source: string;
  readonly state: IncidentState;
  readonly status: IncidentStatus;
  readonly firingCount: number;
  readonly alertCount: number;
  readonly createdAt: Date;
  /** When the investigation finished (completed, failed, cancelled), for the elapsed time. */
  readonly finishedAt: Date | null;
  /** The report's confidence, when it gave one. */
  readonly confidence: string | null;
  /** Model spend of all its runs so far, in US dollars. */
  readonly costUsd: number | null;
  /** Who acknowledged or resolved it, when someone did. */
  readonly acknowledgedBy: string | null;
  readonly resolvedBy: string | null;
  /** The incident's page in the dashboard, when the public URL is known. */
  readonly dashboardUrl: string | null;
}

/** An approval request as the thread shows it. */
export interface ApprovalView {
  readonly id: string;
  readonly incidentId: string;
  readonly tool: string;
  /** What the command will change (the command itself for SSH). */
  readonly summary: string;
  /** The hosts it runs on, when known. */
  readonly hosts: readonly string[];
  readonly expiresAt: Date;
  /** `pending`, `approved`, `denied` or `expired`. */
  readonly status: string;
  /** Who decided, and when. */
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
}

/** A message's content: the fallback text (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}
