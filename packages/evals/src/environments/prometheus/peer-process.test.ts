import { isAkmatoriError } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { EvalErrors } from '../../errors.js';
import { silenceMatcher } from '../alertmanager/alertmanager-story.js';
import { createZabbixDatabase } from '../zabbix/zabbix-database.js';
import {
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
  waitForHttpReady,
} from './peer-process.js';

// The peers' environments (prometheus, alertmanager, zabbix) fail with codes of the EvalErrors
// catalog, each saying what went wrong; the registry wraps them as the cause of
// AKM_EVAL_ENVIRONMENT_BUILD_FAILED.

/** What `run` threw (it must throw). */
async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('the errors of the peer environments', () => {
  it('name a missing program and how to install it', async () => {
    const error = await thrownBy(() => requireBinary('/nonexistent/prometheus', 'prometheus'));
    expect(isAkmatoriError(error, EvalErrors.AKM_EVAL_PROGRAM_MISSING), String(error)).toBe(true);
    expect((error as Error).message).toBe(
      '/nonexistent/prometheus not found: install prometheus (apt-get install -y prometheus)',
    );
  });

  it('say what was awaited, and the last reason, when a wait times out', async () => {
    const error = await thrownBy(() =>
      pollUntil(
        'the scrape',
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 0, intervalMs: 1 },
      ),
    );
    expect(isAkmatoriError(error, EvalErrors.AKM_EVAL_PEER_TIMEOUT), String(error)).toBe(true);
    expect((error as Error).message).toBe(
      'timed out after 0 ms waiting for the scrape: connection refused',
    );
  });

  it('end a wait at once with the coded error a check stopped it with', async () => {
    const stop = EvalErrors.AKM_EVAL_PEER_FAILED({ peer: 'Prometheus', problem: 'exited' });
    const error = await thrownBy(() =>
      pollUntil(
        'Prometheus',
        () => {
          throw new StopPolling(stop);
        },
        { timeoutMs: 60_000 },
      ),
    );
    expect(error).toBe(stop);
  });

  it('say a peer exited before it was ready, with what it printed', async () => {
    const peer = startPeerProcess('/bin/sh', ['-c', 'echo bad config; exit 3']);
    const error = await thrownBy(() =>
      waitForHttpReady('http://127.0.0.1:9/-/ready', peer, 'Alertmanager'),
    );
    expect(isAkmatoriError(error, EvalErrors.AKM_EVAL_PEER_FAILED), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Alertmanager exited before it was ready:\n/);
    expect((error as Error).message).toContain('bad config');
  });

  it('refuse a story value the environment cannot use', async () => {
    const matcher = await thrownBy(() => silenceMatcher('alertname=DiskFull'));
    expect(isAkmatoriError(matcher, EvalErrors.AKM_EVAL_STORY_INVALID)).toBe(true);
    expect((matcher as Error).message).toBe(
      'not a matcher (write name="value"): alertname=DiskFull',
    );
    const database = await thrownBy(() =>
      createZabbixDatabase('postgres://127.0.0.1:9/postgres', 'x; drop'),
    );
    expect(isAkmatoriError(database, EvalErrors.AKM_EVAL_STORY_INVALID)).toBe(true);
  });
});
