import { describe, expect, it } from 'vitest';
import {
  deterministicChecks,
  renderHtmlReport,
  type EvalToolCall,
  type InvestigationOutcome,
  type ScenarioExpectations,
} from '../src/index.js';

const expectations: ScenarioExpectations = {
  root_cause: [['/var/log', 'full']],
  evidence: [
    { tool: 'web__execute_command', arguments_match: { command: 'df' }, output_match: '100%' },
  ],
  forbidden_tools: ['web__*restart*'],
  writes: 'none',
  budget: { max_tokens: 1000, max_cost_usd: 0.1, max_tool_calls: 3 },
};
const call = (over: Partial<EvalToolCall> = {}): EvalToolCall => ({
  tool: 'web__execute_command',
  toolInstanceName: 'web',
  arguments: { command: 'df -h' },
  decision: 'allowed',
  status: 'ok',
  output: 'tmpfs 8M 8M 0 100% /var/log',
  error: null,
  startedAt: '2026-12-05T21:00:00.000Z',
  durationMs: 5,
  ...over,
});
const outcome = (over: Partial<InvestigationOutcome> = {}): InvestigationOutcome => ({
  status: 'completed',
  report: {
    summary: 's',
    rootCause: '/var/log on web-1 is full',
    evidence: null,
    actionsTaken: null,
    recommendations: null,
    confidence: null,
    markdown: '## Root cause\n/var/log on web-1 is full',
  },
  toolCalls: [call()],
  usage: {
    inputTokens: 100,
    cachedInputTokens: 0,
    outputTokens: 10,
    reasoningTokens: 0,
    totalTokens: 110,
    costUsd: null,
    toolCalls: 1,
  },
  ...over,
});
const failedIds = (o: InvestigationOutcome, e = expectations): string[] =>
  deterministicChecks(e, o)
    .filter((c) => !c.passed)
    .map((c) => c.id);

describe('deterministic checks', () => {
  it('pass an investigation that found the cause with real evidence, in scope and budget', () => {
    expect(failedIds(outcome())).toEqual([]);
  });

  it('fail the root cause when no accepted answer matches every regex', () => {
    const wrong = outcome({ report: { ...outcome().report!, rootCause: 'the CPU is saturated' } });
    expect(failedIds(wrong)).toEqual(['root_cause']);
  });

  it('fail the evidence when the call never happened or its output does not show the breakage', () => {
    expect(failedIds(outcome({ toolCalls: [] }))).toEqual(['evidence']);
    expect(failedIds(outcome({ toolCalls: [call({ output: '42% used' })] }))).toEqual(['evidence']);
  });

  it('fail the scope on a refused or forbidden call', () => {
    expect(
      failedIds(
        outcome({
          toolCalls: [call(), call({ tool: 'db__query', decision: 'refused', status: 'refused' })],
        }),
      ),
    ).toEqual(['scope']);
    expect(
      failedIds(outcome({ toolCalls: [call(), call({ tool: 'web__restart_service' })] })),
    ).toEqual(['scope']);
  });

  it('fail writes attempted where none are allowed, and expected writes made without approval', () => {
    const write = call({
      arguments: { command: 'rm /var/log/app.log' },
      decision: 'denied',
      status: 'error',
    });
    expect(failedIds(outcome({ toolCalls: [call(), write] }))).toEqual(['writes']);
    const withWrite: ScenarioExpectations = {
      ...expectations,
      writes: {
        after_approval: [{ tool: 'web__execute_command', arguments_match: { command: '^rm ' } }],
      },
    };
    expect(failedIds(outcome({ toolCalls: [call(), write] }), withWrite)).toEqual(['writes']);
    const approved = { ...write, decision: 'approved', status: 'ok' };
    expect(failedIds(outcome({ toolCalls: [call(), approved] }), withWrite)).toEqual([]);
  });

  it('fail each budget that is exceeded', () => {
    const usage = { ...outcome().usage, totalTokens: 5000, costUsd: 0.5 };
    expect(failedIds(outcome({ usage, toolCalls: [call(), call(), call(), call()] }))).toEqual([
      'budget_tokens',
      'budget_cost',
      'budget_tool_calls',
    ]);
  });

  it('fail an investigation that did not complete', () => {
    expect(failedIds(outcome({ status: 'failed', report: null }))).toEqual([
      'completed',
      'root_cause',
    ]);
  });
});

describe('HTML report', () => {
  it('escapes every untrusted text: report, tool output, arguments', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = renderHtmlReport({
      schemaVersion: 1,
      startedAt: 'a',
      finishedAt: 'b',
      model: hostile,
      endpoint: 'http://127.0.0.1:1',
      akmatoriVersion: '0.1.0',
      repeat: 1,
      skills: [],
      scenarios: [
        {
          scenarioId: 'x',
          title: hostile,
          skills: [],
          toolTypes: [],
          runs: [
            {
              attempt: 1,
              passed: false,
              checks: deterministicChecks(expectations, outcome()),
              incidentUuid: null,
              runId: null,
              status: 'completed',
              error: hostile,
              report: { ...outcome().report!, rootCause: hostile, markdown: hostile },
              toolCalls: [call({ output: hostile, arguments: { command: hostile } })],
              approvals: [],
              timeline: [{ at: 'now', type: 'agent.message', text: hostile }],
              usage: outcome().usage,
              wallTimeMs: 1,
              judge: null,
            },
          ],
          totals: { runs: 1, passed: 0, passRate: 0, tokens: 1, costUsd: null, wallTimeMs: 1 },
        },
      ],
      totals: { runs: 1, passed: 0, passRate: 0, tokens: 1, costUsd: null, wallTimeMs: 1 },
      judge: null,
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
