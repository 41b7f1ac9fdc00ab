import { describe, expect, it } from 'vitest';
import { diffReplay } from './replay-diff.js';
import { formatReplay } from './replay-report.js';

const df = { name: 'web__execute_command', arguments: { command: 'df -h' } };
const uname = { name: 'web__execute_command', arguments: { command: 'uname -s' } };
const alerts = { name: 'prom__get_alerts', arguments: {} };

describe('the differences between a recorded run and its replay', () => {
  it('finds none when the calls (whatever their key order) and the report are the same', () => {
    const diff = diffReplay(
      { toolCalls: [{ name: 'x', arguments: { a: 1, b: 2 } }], report: { rootCause: 'disk' } },
      { toolCalls: [{ name: 'x', arguments: { b: 2, a: 1 } }], report: { rootCause: 'disk' } },
    );
    expect(diff).toEqual({
      identical: true,
      toolCalls: { added: [], removed: [], changed: [] },
      report: [],
    });
  });

  it('names calls added and removed, and a call of the same tool with other arguments as changed', () => {
    const diff = diffReplay(
      { toolCalls: [uname, df], report: {} },
      { toolCalls: [alerts, uname, { ...df, arguments: { command: 'df -i' } }], report: {} },
    );
    expect(diff.toolCalls).toEqual({
      added: [alerts],
      removed: [],
      changed: [{ name: df.name, before: { command: 'df -h' }, after: { command: 'df -i' } }],
    });
    expect(diff.identical).toBe(false);
  });

  it('lists each report section that differs, a missing one as null', () => {
    const diff = diffReplay(
      { toolCalls: [], report: { summary: 'same', rootCause: 'disk', confidence: 'High' } },
      { toolCalls: [], report: { summary: 'same', rootCause: 'cpu' } },
    );
    expect(diff.report).toEqual([
      { section: 'rootCause', before: 'disk', after: 'cpu' },
      { section: 'confidence', before: 'High', after: null },
    ]);
  });

  it('prints the changes with their signs and the report sections under their headings', () => {
    const lines = formatReplay({
      mode: 'model',
      original: { tool_calls: [df] },
      replay: {
        status: 'completed',
        error: null,
        tool_calls: [uname],
        calls: [{ ...uname, recorded: false }],
        model_calls: 2,
      },
      diff: {
        identical: false,
        tool_calls: { added: [alerts], removed: [df], changed: [] },
        report: [{ section: 'rootCause', before: 'disk', after: 'cpu' }],
      },
    });
    expect(lines).toEqual([
      'replay (model): completed',
      'tool calls: 1 recorded, 1 replayed (1 not in the recording); model calls: 2',
      '+ prom__get_alerts {}',
      '- web__execute_command {"command":"df -h"}',
      'report section "Root cause" differs:',
      '  before:',
      '    disk',
      '  after:',
      '    cpu',
    ]);
  });

  it('says which attempt it replayed when the run had several', () => {
    const lines = formatReplay({
      mode: 'recorded',
      replayed: { run_id: 'r2', attempt: 2, attempts: 2 },
      original: { tool_calls: [] },
      replay: { status: 'completed', error: null, tool_calls: [], calls: [], model_calls: 1 },
      diff: {
        identical: true,
        tool_calls: { added: [], removed: [], changed: [] },
        report: [],
      },
    });
    expect(lines).toEqual([
      'replay (recorded): completed',
      'attempt 2 of 2 replayed (run r2), the one whose outcome the run has',
      'tool calls: 0 recorded, 0 replayed; model calls: 1',
      'identical: the same tool calls and the same report',
    ]);
  });
});
