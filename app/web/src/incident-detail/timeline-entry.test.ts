// @vitest-environment jsdom
import { createApp, h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../live/live-events';
import { TimelineEntry } from './TimelineEntry';
import { timelineItems } from './timeline-items';

let nextId = 1;
function event(type: string, fields: Record<string, unknown>, runId = 'run-1'): LiveEvent {
  const id = nextId++;
  return {
    id,
    incident_id: 'inc',
    run_id: runId,
    seq: id,
    type,
    at: '2026-12-05T08:00:00.000Z',
    event: { type, ...fields },
  };
}

/** Mounts one entry per item into a fresh element, as the browser would show them. */
async function mounted(events: LiveEvent[]): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  const app = createApp({
    render: () => timelineItems(events).map((item) => h(TimelineEntry, { item, key: item.key })),
  });
  app.mount(root);
  await nextTick();
  return root;
}

const HOSTILE = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned=1">',
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">link</a>',
  '<b onclick="alert(1)">bold</b>',
].join('\n');

describe('timeline entries', () => {
  it('merge the events of one agent item and keep tool arguments when the result comes', () => {
    const items = timelineItems([
      event('run.started', {}),
      event('turn.started', {}),
      event('command.started', { command: 'df -h', itemId: 'c1' }),
      event('command.completed', {
        command: 'df -h',
        output: '/ 91%',
        exitCode: 0,
        status: 'completed',
        itemId: 'c1',
      }),
      event('tool.started', { callId: 't1', tool: 'prom.query', input: { q: 'up' } }),
      event('tool.completed', { callId: 't1', tool: 'prom.query', output: 'boom', isError: true }),
      event('usage', { usage: {} }),
      event('run.completed', { summary: 'done' }),
    ]);
    expect(items.map((item) => [item.kind, item.status ?? ''])).toEqual([
      ['run', ''],
      ['command', 'exit 0'],
      ['tool', 'error'],
      ['run', ''],
    ]);
    expect(items[1]!.detail).toBe('/ 91%');
    expect(items[2]!.body).toContain('"q": "up"');
    expect(items[2]!.detail).toBe('boom');
    expect(items[2]!.failed).toBe(true);
  });

  it('show hostile agent text as text: no element, link or handler comes of it', async () => {
    const root = await mounted([
      event('agent.message', { text: HOSTILE }),
      event('agent.reasoning', { text: HOSTILE }),
      event('command.completed', {
        command: HOSTILE,
        output: HOSTILE,
        exitCode: 1,
        status: 'failed',
      }),
      event('tool.started', { callId: 'x', tool: '<script>t</script>', input: { html: HOSTILE } }),
      event('approval.requested', { command: HOSTILE, reason: HOSTILE }),
      event('run.failed', { error: HOSTILE }),
      event('something.new', { title: HOSTILE }),
    ]);
    expect(root.querySelectorAll('script, img, a, b, iframe')).toHaveLength(0);
    for (const element of root.querySelectorAll('*'))
      for (const attribute of element.attributes) {
        expect(attribute.name.startsWith('on')).toBe(false);
        expect(attribute.value).not.toMatch(/javascript:/i);
      }
    expect(root.textContent).toContain('<script>window.pwned = 1</script>');
    expect(root.textContent).toContain('[click](javascript:alert(1))');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
    expect(root.querySelectorAll('article')).toHaveLength(7);
  });
});
