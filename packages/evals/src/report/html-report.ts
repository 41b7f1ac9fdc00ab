import type { EvalResult, EvalRunResult } from './eval-result.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;
const cost = (usd: number | null): string => (usd === null ? 'n/a' : `$${usd.toFixed(4)}`);
const pct = (rate: number): string => `${(rate * 100).toFixed(0)} %`;

function runSection(scenarioId: string, run: EvalRunResult): string {
  const checks = run.checks
    .map(
      (c) =>
        `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${c.passed ? '✓' : '✗'}</td><td>${e(c.id)}</td><td>${e(c.title)}</td><td>${e(c.detail)}</td></tr>`,
    )
    .join('');
  const calls = run.toolCalls
    .map(
      (call) =>
        `<tr><td>${e(call.startedAt)}</td><td>${e(call.tool)}</td><td><code>${e(JSON.stringify(call.arguments))}</code></td><td>${e(call.decision)}</td><td>${e(call.status)}</td><td><pre>${e((call.output ?? call.error ?? '').slice(0, 2000))}</pre></td></tr>`,
    )
    .join('');
  const timeline = run.timeline
    .map((t) => `<li><time>${e(t.at)}</time> <b>${e(t.type)}</b> <span>${e(t.text)}</span></li>`)
    .join('');
  return `<details${run.passed ? '' : ' open'}><summary class="${run.passed ? 'pass' : 'fail'}">${e(scenarioId)} run ${run.attempt}: ${run.passed ? 'PASS' : 'FAIL'} (${e(run.status)}), ${run.usage.totalTokens} tokens, ${cost(run.usage.costUsd)}, ${(run.wallTimeMs / 1000).toFixed(1)} s</summary>
${run.error === null ? '' : `<p class="fail">Error: ${e(run.error)}</p>`}
<h4>Checks</h4><table>${checks}</table>
${run.judge === null ? '' : `<h4>LLM judge (apart from the checks)</h4><p>${run.judge.score.toFixed(2)}: ${e(run.judge.rationale)}</p>`}
<h4>Root cause</h4><p>${e(run.report?.rootCause ?? '(no report)')}</p>
<h4>Tool calls (audit)</h4><table><tr><th>at</th><th>tool</th><th>arguments</th><th>decision</th><th>status</th><th>output</th></tr>${calls}</table>
<h4>Timeline</h4><ol class="timeline">${timeline}</ol>
<h4>Report</h4><pre>${e(run.report?.markdown ?? '')}</pre>
</details>`;
}

/**
 * The self-contained HTML report of an eval run: the scorecard table, then for every run its
 * checks, root cause, audited tool calls, timeline and report. Every piece of text from the
 * scenario, the model, the tools or the alert is escaped: nothing untrusted becomes markup, and
 * the page loads nothing (no scripts, a Content-Security-Policy that forbids them).
 */
export function renderHtmlReport(result: EvalResult): string {
  const rows = result.scenarios
    .map(
      (s) =>
        `<tr class="${s.totals.passed === s.totals.runs ? 'pass' : 'fail'}"><td>${e(s.scenarioId)}</td><td>${e(s.title)}</td><td>${s.totals.passed}/${s.totals.runs} (${pct(s.totals.passRate)})</td><td>${s.totals.tokens}</td><td>${cost(s.totals.costUsd)}</td><td>${(s.totals.wallTimeMs / 1000).toFixed(1)} s</td></tr>`,
    )
    .join('');
  const runs = result.scenarios
    .flatMap((s) => s.runs.map((run) => runSection(s.scenarioId, run)))
    .join('\n');
  const t = result.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Akmatori eval: ${e(result.model)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}
.pass{color:#176f2c}.fail{color:#b00020}pre{white-space:pre-wrap;margin:0;max-height:20em;overflow:auto}
summary{cursor:pointer;font-weight:600;margin:.5em 0}.timeline time{color:#666}
</style></head><body>
<h1>Akmatori eval</h1>
<p>Model <b>${e(result.model)}</b> at ${e(result.endpoint)}, Akmatori ${e(result.akmatoriVersion)}, ${e(result.startedAt)} to ${e(result.finishedAt)}, ${result.repeat} run(s) per scenario.</p>
<p><b>${t.passed}/${t.runs} passed (${pct(t.passRate)})</b>, ${t.tokens} tokens, ${cost(t.costUsd)}, ${(t.wallTimeMs / 1000).toFixed(1)} s.</p>
<table><tr><th>scenario</th><th>title</th><th>passed</th><th>tokens</th><th>cost</th><th>time</th></tr>${rows}</table>
<h2>Skills</h2><ul>${result.skills.map((s) => `<li>${e(s.name)} <code>${e(s.sha256.slice(0, 12))}</code></li>`).join('')}</ul>
<h2>Runs</h2>
${runs}
</body></html>
`;
}
