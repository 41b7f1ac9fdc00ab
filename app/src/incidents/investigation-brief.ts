import type { AlertRecord, IncidentRecord } from '@akmatori/core';

const MAX_ALERTS_LISTED = 50;

/** The instruction an investigation starts from. */
export function investigationPrompt(incident: IncidentRecord): string {
  if (incident.task !== null) return incident.task;
  return `Investigate the incident "${incident.title}": find the cause of its alerts, what is affected, and what to do next. Report your findings concisely.`;
}

/** The incident context written for the agent: what fired, where, and since when. */
export function investigationContext(
  incident: IncidentRecord,
  alerts: readonly AlertRecord[],
): string {
  const lines = [
    `# Incident: ${incident.title}`,
    '',
    `- severity: ${incident.severity}`,
    `- source: ${incident.sourceType}`,
    `- opened: ${incident.createdAt.toISOString()}`,
    `- alerts: ${incident.alertCount} (${incident.firingCount} firing)`,
  ];
  if (incident.context !== null)
    lines.push(
      '',
      '## Context from the reporter',
      '',
      '```json',
      JSON.stringify(incident.context, null, 2),
      '```',
    );
  if (alerts.length > 0) {
    lines.push('', '## Alerts', '');
    for (const alert of alerts.slice(0, MAX_ALERTS_LISTED)) {
      lines.push(
        `### ${alert.name} (${alert.status}, ${alert.severity}${alert.host === null ? '' : `, host ${alert.host}`})`,
        ...[alert.summary, alert.description].filter((text): text is string => text !== null),
        `- since ${alert.startsAt?.toISOString() ?? alert.firstSeenAt.toISOString()}, seen ${alert.count} time(s)`,
        ...(alert.runbookUrl === null ? [] : [`- runbook: ${alert.runbookUrl}`]),
        ...(alert.sourceUrl === null ? [] : [`- source: ${alert.sourceUrl}`]),
        `- labels: ${
          Object.entries(alert.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'none'
        }`,
        '',
      );
    }
    if (alerts.length > MAX_ALERTS_LISTED)
      lines.push(`… and ${alerts.length - MAX_ALERTS_LISTED} more alerts.`);
  }
  return lines.join('\n');
}
