import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

let host: TestHost;
let admin: Record<string, string>;
let skillsDir: string;

beforeEach(async () => {
  host = await startApp();
  admin = bearer(await setUpAdmin(host));
  skillsDir = host.config.skillsDir;
});
afterEach(async () => {
  await host.close();
});

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) => host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });
const names = async (): Promise<string[]> =>
  (await api('GET', '/api/skills')).json<{ data: { name: string }[] }>().data.map((s) => s.name);
const handMade = (name: string, description: string, body = '# Steps\n\n1. Look.\n'): string =>
  `---\nname: ${name}\ndescription: ${description}\n---\n\n${body}`;

describe('skills', () => {
  it('a new install starts with the starter skills in its skills directory', async () => {
    expect(await names()).toEqual([
      'alertmanager-alert-triage',
      'disk-filling-up',
      'high-cpu',
      'host-unreachable',
      'zabbix-problem-triage',
    ]);
    expect((await stat(path.join(skillsDir, 'high-cpu', 'SKILL.md'))).isFile()).toBe(true);
  });

  it('created through the API, a skill is written to disk as a valid SKILL.md', async () => {
    const created = await api('POST', '/api/skills', {
      name: 'redis-memory',
      description: 'Investigate Redis memory pressure. Use when: used_memory is near maxmemory.',
      category: 'databases',
      prompt: '# Redis memory\n\nRun `redis-cli info memory`.\n',
      metadata: { tools: 'ssh' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'redis-memory',
      category: 'databases',
      enabled: true,
      metadata: { tools: 'ssh' },
      warnings: [],
    });
    const text = await readFile(path.join(skillsDir, 'redis-memory', 'SKILL.md'), 'utf8');
    expect(text).toContain('name: redis-memory');
    expect(text).toContain(
      'description: "Investigate Redis memory pressure. Use when: used_memory is near maxmemory."',
    );
    expect(text).toContain('# Redis memory');
    expect(
      (await api('POST', '/api/skills', { name: 'redis-memory', description: 'x', prompt: 'y' }))
        .statusCode,
    ).toBe(409);
  });

  it('edited through the API, SKILL.md on disk changes; optional fields can be removed', async () => {
    await api('POST', '/api/skills', {
      name: 'edit-me',
      description: 'First',
      prompt: 'one',
      license: 'MIT',
    });
    const changed = await api('PUT', '/api/skills/edit-me', {
      description: 'Second',
      prompt: 'two',
      license: null,
      enabled: false,
    });
    expect(changed.json()).toMatchObject({ description: 'Second', prompt: 'two', enabled: false });
    expect(changed.json()).not.toHaveProperty('license');
    const text = await readFile(path.join(skillsDir, 'edit-me', 'SKILL.md'), 'utf8');
    expect(text).toContain('description: Second');
    expect(text).not.toContain('license');
    expect(text).toContain('two');
  });

  it('made, changed and deleted by hand on disk, a skill follows in the API after sync', async () => {
    await mkdir(path.join(skillsDir, 'kafka-lag'));
    await writeFile(
      path.join(skillsDir, 'kafka-lag', 'SKILL.md'),
      handMade('kafka-lag', 'Find why a consumer group lags'),
    );
    expect(await names()).not.toContain('kafka-lag');
    let sync = await api('POST', '/api/skills/sync');
    expect(sync.json()).toMatchObject({ added: ['kafka-lag'], updated: [], removed: [] });
    expect((await api('GET', '/api/skills/kafka-lag')).json()).toMatchObject({
      description: 'Find why a consumer group lags',
    });

    await writeFile(
      path.join(skillsDir, 'kafka-lag', 'SKILL.md'),
      handMade('kafka-lag', 'Find why consumers lag behind'),
    );
    sync = await api('POST', '/api/skills/sync');
    expect(sync.json()).toMatchObject({ added: [], updated: ['kafka-lag'] });
    expect((await api('GET', '/api/skills/kafka-lag')).json()).toMatchObject({
      description: 'Find why consumers lag behind',
    });

    await rm(path.join(skillsDir, 'kafka-lag'), { recursive: true });
    sync = await api('POST', '/api/skills/sync');
    expect(sync.json()).toMatchObject({ removed: ['kafka-lag'] });
    expect((await api('GET', '/api/skills/kafka-lag')).statusCode).toBe(404);
  });

  it('sync skips an invalid skill directory and says why, and loads a lenient one with a warning', async () => {
    await mkdir(path.join(skillsDir, 'no-description'));
    await writeFile(
      path.join(skillsDir, 'no-description', 'SKILL.md'),
      '---\nname: no-description\n---\n\nbody\n',
    );
    await mkdir(path.join(skillsDir, 'colon-skill'));
    await writeFile(
      path.join(skillsDir, 'colon-skill', 'SKILL.md'),
      '---\nname: colon-skill\ndescription: Use when: disk is full\n---\n\nbody\n',
    );
    const sync = (await api('POST', '/api/skills/sync')).json<{
      added: string[];
      skipped: { directory: string; problems: { message: string }[] }[];
    }>();
    expect(sync.added).toEqual(['colon-skill']);
    expect(sync.skipped).toEqual([
      {
        directory: 'no-description',
        problems: [expect.objectContaining({ message: expect.stringContaining('description') })],
      },
    ]);
    expect(
      (await api('GET', '/api/skills/colon-skill')).json<{ warnings: unknown[] }>().warnings.length,
    ).toBeGreaterThan(0);
  });

  it('refuses a skill that breaks the specification, naming the field', async () => {
    const response = await api('POST', '/api/skills', {
      name: 'Bad--Name',
      description: 'x',
      prompt: 'y',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'AKM_SKILL_INVALID',
      message: expect.stringContaining('name'),
    });
    const tooLong = await api('PUT', '/api/skills/high-cpu', { compatibility: 'x'.repeat(501) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('created and replaced as a whole SKILL.md, the text is kept exactly as written', async () => {
    const text = '---\n# how we triage\nname: as-written\ndescription: "First"\n---\n\nBody one.\n';
    const created = await api('POST', '/api/skills', { name: 'as-written', content: text });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ description: 'First', enabled: true, content: text });
    expect(await readFile(path.join(skillsDir, 'as-written', 'SKILL.md'), 'utf8')).toBe(text);

    const next = text.replace('First', 'Second');
    const changed = await api('PUT', '/api/skills/as-written', { content: next, enabled: false });
    expect(changed.json()).toMatchObject({ description: 'Second', enabled: false, content: next });
    expect((await api('GET', '/api/skills/as-written')).json()).toMatchObject({ content: next });

    const invalid = await api('PUT', '/api/skills/as-written', {
      content: '---\nname: as-written\n---\n',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'AKM_SKILL_INVALID' });
    const mixed = await api('PUT', '/api/skills/as-written', { content: next, description: 'x' });
    expect(mixed.json()).toMatchObject({ code: 'AKM_VALIDATION' });
    expect(await readFile(path.join(skillsDir, 'as-written', 'SKILL.md'), 'utf8')).toBe(next);
  });

  it('validates a SKILL.md text without saving it', async () => {
    const good = await api('POST', '/api/skills/validate', {
      content: handMade('ok-skill', 'Does a thing'),
      name: 'ok-skill',
    });
    expect(good.json()).toEqual({ valid: true, problems: [], warnings: [] });
    const bad = await api('POST', '/api/skills/validate', {
      content: '---\nname: x--y\nfoo: 1\n---\n',
    });
    const body = bad.json<{ valid: boolean; problems: { field: string }[] }>();
    expect(body.valid).toBe(false);
    expect(body.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['name', 'description', 'foo']),
    );
    expect(await names()).not.toContain('ok-skill');
  });

  it('attaches tool instances, refusing unknown ones', async () => {
    const unknown = await api('PUT', '/api/skills/high-cpu/tools', {
      tool_instance_ids: ['00000000-0000-4000-8000-000000000001'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'AKM_UNKNOWN_TOOL_INSTANCE' });
    const [row] = (await host.database
      .knex('tool_instances')
      .insert({ tool_type: 'ssh', name: 'prod-ssh' })
      .returning('id')) as { id: string }[];
    const attached = await api('PUT', '/api/skills/high-cpu/tools', {
      tool_instance_ids: [row!.id],
    });
    expect(attached.json()).toMatchObject({ tool_instance_ids: [row!.id] });
    expect(
      (await api('PUT', '/api/skills/high-cpu/tools', { tool_instance_ids: [] })).json(),
    ).toMatchObject({ tool_instance_ids: [] });
  });

  it("manages a skill's scripts, references and assets, and refuses paths that leave them", async () => {
    expect(
      (
        await api('PUT', '/api/skills/high-cpu/files/scripts/top.sh', {
          content: '#!/bin/sh\ntop -bn1 | head -20\n',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await api('PUT', '/api/skills/high-cpu/files/assets/logo.png', {
          content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]).toString('base64'),
          encoding: 'base64',
        })
      ).statusCode,
    ).toBe(204);
    expect((await api('GET', '/api/skills/high-cpu/files')).json()).toEqual({
      data: [
        { path: 'assets/logo.png', size: 5 },
        { path: 'scripts/top.sh', size: Buffer.byteLength('#!/bin/sh\ntop -bn1 | head -20\n') },
      ],
    });
    expect((await api('GET', '/api/skills/high-cpu/files/scripts/top.sh')).json()).toEqual({
      path: 'scripts/top.sh',
      content: '#!/bin/sh\ntop -bn1 | head -20\n',
      encoding: 'utf8',
    });
    expect((await api('GET', '/api/skills/high-cpu/files/assets/logo.png')).json()).toMatchObject({
      encoding: 'base64',
    });
    expect(await readFile(path.join(skillsDir, 'high-cpu', 'scripts', 'top.sh'), 'utf8')).toContain(
      'top -bn1',
    );

    await symlink('/etc', path.join(skillsDir, 'high-cpu', 'references'));
    for (const bad of [
      'SKILL.md',
      'other/x.txt',
      'scripts/../SKILL.md',
      'scripts/..%2F..%2Fsecret',
      'scripts/.hidden',
      'references/passwd',
    ]) {
      const response = await api('PUT', `/api/skills/high-cpu/files/${bad}`, { content: 'x' });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json()).toMatchObject({ code: 'AKM_SKILL_PATH_INVALID' });
    }
    expect((await api('DELETE', '/api/skills/high-cpu/files/scripts/top.sh')).statusCode).toBe(204);
    expect((await api('DELETE', '/api/skills/high-cpu/files/scripts/top.sh')).statusCode).toBe(404);
  });

  it('deletes a skill with its directory', async () => {
    expect((await api('DELETE', '/api/skills/host-unreachable')).statusCode).toBe(204);
    await expect(stat(path.join(skillsDir, 'host-unreachable'))).rejects.toThrow();
    expect((await api('DELETE', '/api/skills/host-unreachable')).statusCode).toBe(404);
  });
});
