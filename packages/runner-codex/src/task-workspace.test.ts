import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { taskOfAssignment } from './protocol/assignment-task.js';
import type { RunAssignment } from './protocol/worker-protocol.js';
import { prepareTaskWorkspace } from './task-workspace.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

function assignment(more: Partial<RunAssignment> = {}): RunAssignment {
  return {
    runId: 'r1',
    incidentId: 'i1',
    prompt: 'Go.',
    agentsMd: '# Instructions\n',
    gatewayUrl: 'http://gateway:8080',
    runToken: 'run-token-never-on-disk',
    model: 'gpt-5.5',
    reasoningEffort: 'high',
    deadlineMs: 1_000,
    skills: [],
    contextFiles: [],
    ...more,
  };
}

/** The workspace of an assignment, as the worker's Codex runner builds it. */
function prepareAssignmentWorkspace(
  assignment: RunAssignment,
  dir: string,
  config?: Parameters<typeof prepareTaskWorkspace>[3],
) {
  const { task, gateway } = taskOfAssignment(assignment);
  return prepareTaskWorkspace(task, gateway, dir, config);
}

function runDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'akmatori-assignment-'));
  dirs.push(dir);
  return path.join(dir, 'r1');
}

describe('the workspace of a task', () => {
  it('holds its AGENTS.md, skills, context files and a config for its gateway and model', async () => {
    const workspace = await prepareAssignmentWorkspace(
      assignment({
        skills: [
          {
            name: 'disk-usage',
            files: [
              { path: 'SKILL.md', contentBase64: b64('# Disk usage\n') },
              { path: 'scripts/du.sh', contentBase64: b64('#!/bin/sh\ndu -sh /\n') },
            ],
          },
        ],
        contextFiles: [{ path: 'alerts/firing.json', contentBase64: b64('[]') }],
      }),
      runDir(),
      { sandboxMode: 'read-only' },
    );
    expect(readFileSync(workspace.agentsMdFile, 'utf8')).toBe('# Instructions\n');
    const skill = path.join(workspace.skillsDir, 'disk-usage');
    expect(readFileSync(path.join(skill, 'SKILL.md'), 'utf8')).toBe('# Disk usage\n');
    expect(statSync(path.join(skill, 'scripts/du.sh')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(skill, 'SKILL.md')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(workspace.contextDir, 'alerts/firing.json'), 'utf8')).toBe('[]');
    const config = readFileSync(workspace.configFile, 'utf8');
    expect(config).toContain('base_url = "http://gateway:8080/v1"');
    expect(config).toContain('model = "gpt-5.5"');
    expect(config).toContain('model_reasoning_effort = "high"');
    expect(config).toContain('sandbox_mode = "read-only"');
    expect(config).not.toContain('run-token-never-on-disk');
  });

  it('of a follow-up has the session restored into its Codex home', async () => {
    const rollout = 'sessions/2026/01/02/rollout-x-01a2.jsonl';
    const archive = {
      gzipBase64: gzipSync(
        JSON.stringify([{ path: rollout, contentBase64: b64('{}\n') }]),
      ).toString('base64'),
    };
    const workspace = await prepareAssignmentWorkspace(
      assignment({ resume: { sessionId: '01a2', archive } }),
      runDir(),
    );
    expect(readFileSync(path.join(workspace.codexHome, rollout), 'utf8')).toBe('{}\n');
  });

  it('refuses a skill file that would leave its skill', async () => {
    await expect(
      prepareAssignmentWorkspace(
        assignment({
          skills: [{ name: 'evil', files: [{ path: '../../x', contentBase64: b64('x') }] }],
        }),
        runDir(),
      ),
    ).rejects.toThrow('invalid file of skill evil "../../x"');
  });
});
