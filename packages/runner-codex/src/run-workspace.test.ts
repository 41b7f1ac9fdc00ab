import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '@akmatori/test-support/peers/process';
import { prepareRunWorkspace, runWorkspacePaths } from './run-workspace.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

function skillSource(): string {
  dir ??= makeTempDir('runner-codex-ws');
  const skill = path.join(dir.path, 'src-skill');
  mkdirSync(path.join(skill, 'scripts'), { recursive: true });
  mkdirSync(path.join(skill, '.git'), { recursive: true });
  writeFileSync(path.join(skill, 'SKILL.md'), '---\nname: disk-usage\ndescription: d\n---\n');
  writeFileSync(path.join(skill, 'scripts', 'check.sh'), '#!/bin/sh\ndf -h\n', { mode: 0o755 });
  writeFileSync(path.join(skill, '.git', 'HEAD'), 'ref');
  symlinkSync('/etc/passwd', path.join(skill, 'passwd'));
  return skill;
}

const config = { gatewayUrl: 'http://gateway:8080', model: 'gpt-5.5' };

async function listTree(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).sort();
}

describe('prepareRunWorkspace', () => {
  it('lays out the workspace, Codex home, AGENTS.md, skills and context files, all private', async () => {
    const skill = skillSource();
    const runDir = path.join(dir!.path, 'runs', 'incident-1');
    const workspace = await prepareRunWorkspace({
      runDir,
      config,
      agentsMd: '# Investigate\n',
      skills: [{ name: 'disk-usage', dir: skill }],
      contextFiles: [
        { name: 'alerts.json', content: '[]' },
        { name: 'logs/nginx.log', path: path.join(skill, 'SKILL.md') },
      ],
    });

    expect(workspace).toEqual(runWorkspacePaths(runDir));
    expect(readFileSync(workspace.agentsMdFile, 'utf8')).toBe('# Investigate\n');
    expect(parse(readFileSync(workspace.configFile, 'utf8'))).toMatchObject({ model: 'gpt-5.5' });
    expect(await listTree(workspace.skillsDir)).toEqual([
      'disk-usage',
      'disk-usage/SKILL.md',
      'disk-usage/scripts',
      'disk-usage/scripts/check.sh',
    ]);
    expect(await listTree(workspace.contextDir)).toEqual(['alerts.json', 'logs', 'logs/nginx.log']);

    const modes = Object.fromEntries(
      (await listTree(runDir)).map((entry) => [
        entry,
        statSync(path.join(runDir, entry)).mode & 0o777,
      ]),
    );
    expect(modes['workspace']).toBe(0o700);
    expect(modes['codex-home/config.toml']).toBe(0o600);
    expect(modes['workspace/.agents/skills/disk-usage/scripts/check.sh']).toBe(0o700);
    const open = Object.entries(modes).filter(([, mode]) => (mode & 0o077) !== 0);
    expect(open, 'files readable by others').toEqual([]);
    expect(statSync(runDir).mode & 0o777).toBe(0o700);
  });

  it('refuses to reuse an existing run directory unless asked (a follow-up), keeping its Codex home then', async () => {
    dir = makeTempDir('runner-codex-ws');
    const runDir = path.join(dir.path, 'run');
    const first = await prepareRunWorkspace({ runDir, config, agentsMd: 'one' });
    writeFileSync(path.join(first.codexHome, 'session-marker'), 'kept');

    await expect(prepareRunWorkspace({ runDir, config, agentsMd: 'two' })).rejects.toThrow(
      /cannot create run directory/,
    );
    const again = await prepareRunWorkspace({ runDir, config, agentsMd: 'two', reuse: true });
    expect(readFileSync(path.join(again.codexHome, 'session-marker'), 'utf8')).toBe('kept');
    expect(readFileSync(again.agentsMdFile, 'utf8')).toBe('two');
  });

  it('refuses skill and context file names that would leave their directory', async () => {
    dir = makeTempDir('runner-codex-ws');
    const runDir = path.join(dir.path, 'run');
    await expect(
      prepareRunWorkspace({
        runDir,
        config,
        agentsMd: '',
        skills: [{ name: '../evil', dir: dir.path }],
      }),
    ).rejects.toThrow(/invalid skill name/);
    for (const name of ['../x', '/etc/passwd', 'a/../../b', '.hidden', '']) {
      await expect(
        prepareRunWorkspace({
          runDir,
          config,
          agentsMd: '',
          contextFiles: [{ name, content: '' }],
        }),
        name,
      ).rejects.toThrow(/invalid context file name/);
    }
  });
});
