/** The sections of an investigation's final report, by field, with their exact headings. */
export const finalReportSections = Object.freeze({
  summary: 'Summary',
  rootCause: 'Root cause',
  evidence: 'Evidence',
  actionsTaken: 'Actions taken',
  recommendations: 'Recommendations',
  confidence: 'Confidence',
} as const);

/** A field of {@link FinalReport} read from one section. */
export type FinalReportField = keyof typeof finalReportSections;

/** An investigation's final report, read back from the agent's last message. */
export type FinalReport = {
  /** Each section's text (trimmed), undefined when the report lacks that heading. */
  readonly [field in FinalReportField]?: string;
} & {
  /** `high`, `medium` or `low` when the confidence section starts with one of them. */
  readonly confidenceLevel?: 'high' | 'medium' | 'low';
};

/**
 * The report skeleton the agent is asked to answer with: one `## <heading>` per section, in
 * order. {@link parseFinalReport} reads it back.
 */
export const finalReportTemplate: string = [
  `## ${finalReportSections.summary}`,
  'One or two sentences: what happened and what the impact is.',
  '',
  `## ${finalReportSections.rootCause}`,
  'The cause you found, or "Unknown" and what is still missing to find it.',
  '',
  `## ${finalReportSections.evidence}`,
  '- Each finding, with the command or tool that showed it and the relevant output.',
  '',
  `## ${finalReportSections.actionsTaken}`,
  '- Every change you made (and who approved it), or "None".',
  '',
  `## ${finalReportSections.recommendations}`,
  '- What operators should do next, most urgent first.',
  '',
  `## ${finalReportSections.confidence}`,
  'High, Medium or Low, and why.',
].join('\n');

const headingToField = new Map<string, FinalReportField>(
  Object.entries(finalReportSections).map(([field, heading]) => [
    heading.toLowerCase(),
    field as FinalReportField,
  ]),
);

/** The field a line opens (`## Root cause`, `### Root Cause:`, `**Root cause**`), if any. */
function sectionOpenedBy(line: string): FinalReportField | undefined {
  const match =
    /^\s{0,3}#{1,3}\s+(.+?)\s*#*\s*$/.exec(line) ?? /^\s{0,3}\*\*(.+?)\*\*\s*$/.exec(line);
  if (match === null) return undefined;
  const name = (match[1] ?? '')
    .replace(/[*_:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return headingToField.get(name);
}

/**
 * Reads the sections of {@link finalReportTemplate} from an agent's final message. Headings
 * are matched case-insensitively at levels 1–3 (or as a bold line), in any order; text
 * before the first heading and headings inside code fences are ignored; a section runs to
 * the next known heading.
 *
 * @example
 * ```ts
 * parseFinalReport('## Summary\nDisk full.\n## Confidence\nHigh: df shows 100%.');
 * // { summary: 'Disk full.', confidence: 'High: df shows 100%.', confidenceLevel: 'high' }
 * ```
 */
export function parseFinalReport(markdown: string): FinalReport {
  const sections: Partial<Record<FinalReportField, string[]>> = {};
  let current: string[] | undefined;
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const field = inFence ? undefined : sectionOpenedBy(line);
    if (field !== undefined) {
      current = sections[field] ?? [];
      sections[field] = current;
      continue;
    }
    current?.push(line);
  }
  const report: Partial<Record<FinalReportField, string>> = {};
  for (const [field, lines] of Object.entries(sections)) {
    report[field as FinalReportField] = lines.join('\n').trim();
  }
  const level = /^\W*(high|medium|low)\b/i.exec(report.confidence ?? '')?.[1]?.toLowerCase();
  return {
    ...report,
    ...(level === undefined ? {} : { confidenceLevel: level as 'high' | 'medium' | 'low' }),
  };
}
