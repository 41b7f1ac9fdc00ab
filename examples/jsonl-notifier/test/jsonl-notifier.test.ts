import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, type IncidentEvent } from '@akmatori/core';
import { createTestHost } from '@akmatori/host/testing';
import { describe, expect, it } from 'vitest';
import jsonlNotifierPlugin from '../src/index.js';

const event = (uuid: string): IncidentEvent => ({
  type: 'incident.created',
  incident: {
    uuid,
    title: 'Disk full on db-1',
    status: 'pending',
    state: 'open',
    severity: 'critical',
    sourceType: 'alertmanager',
    createdAt: new Date('2026-11-01T10:00:00Z'),
    updatedAt: new Date('2026-11-01T10:00:00Z'),
  },
});

describe('the JSON Lines notifier plugin', () => {
  it('registers with the host and accepts a valid config', async () => {
    const host = await createTestHost({ plugins: [jsonlNotifierPlugin()] });
    try {
      expect(host.plugins.notifier('jsonl-file')?.displayName).toBe('JSON Lines file');
      expect(
        host.plugins.checkSchema('notifier', 'jsonl-file', 'configSchema', { file: '/tmp/x' }),
      ).toEqual({ valid: true });
      expect(host.plugins.checkSchema('notifier', 'jsonl-file', 'configSchema', {}).valid).toBe(
        false,
      );
    } finally {
      await host.close();
    }
  });

  it('appends one JSON object per event to the configured file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'akm-jsonl-'));
    const file = path.join(dir, 'nested', 'events.jsonl');
    try {
      const notifier = jsonlNotifierPlugin().notifiers![0]!;
      await notifier.onIncidentEvent(event('u-1'), { config: { file }, log: silentLogger() });
      await notifier.onIncidentEvent(event('u-2'), { config: { file }, log: silentLogger() });
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { incident: { uuid: string } });
      expect(lines.map((line) => line.incident.uuid)).toEqual(['u-1', 'u-2']);
      expect(lines[0]).toMatchObject({
        type: 'incident.created',
        incident: { title: 'Disk full on db-1' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
