import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  parseSkill,
  readSkillDirectory,
  renderSkill,
  type Clock,
  type Logger,
  type SkillFrontmatter,
  type SkillProblem,
} from '@akmatori/core';
import type { Knex } from 'knex';
import { AppErrors } from '../errors.js';
import { resolveResourcePath, resourceFolders } from './skill-paths.js';

/** A skill as the API shows it: the SKILL.md fields plus what the index adds. */
export interface Skill {
  readonly name: string;
  readonly description: string;
  readonly frontmatter: SkillFrontmatter;
  /** The Markdown body of SKILL.md (the dashboard calls it the prompt). */
  readonly prompt: string;
  readonly enabled: boolean;
  readonly category: string | null;
  readonly toolInstanceIds: readonly string[];
  readonly warnings: readonly SkillProblem[];
  readonly updatedAt: Date;
}

/** Fields an operator sets on a skill. */
export interface SkillInput {
  readonly description?: string;
  readonly prompt?: string;
  readonly license?: string | null;
  readonly compatibility?: string | null;
  readonly metadata?: Readonly<Record<string, string>> | null;
  readonly allowedTools?: string | null;
  readonly category?: string | null;
  readonly enabled?: boolean;
}

/** What a sync found. */
export interface SyncReport {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly skipped: { directory: string; problems: readonly SkillProblem[] }[];
}

interface SkillRow {
  name: string;
  enabled: boolean;
  category: string | null;
  content_sha256: string;
  updated_at: Date;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Agent Skills on disk with their index in the database. The directory is the source of truth
 * (a team can keep it in git); `sync` brings the index in step with it, and every change made
 * through the API is written to disk (SKILL.md replaced atomically) before the index.
 */
export class SkillStore {
  readonly #dir: string;
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(deps: { dir: string; knex: Knex; clock: Clock; log: Logger }) {
    this.#dir = deps.dir;
    this.#knex = deps.knex;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  /** The skills directory. */
  get directory(): string {
    return this.#dir;
  }

  /** Reads the skills directory and adds, updates and removes index rows to match it. */
  async sync(): Promise<SyncReport> {
    await mkdir(this.#dir, { recursive: true, mode: 0o750 });
    const report: SyncReport = { added: [], updated: [], removed: [], skipped: [] };
    const onDisk = new Map<string, string>();
    for (const entry of await readdir(this.#dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules')
        continue;
      const directory = await readSkillDirectory(path.join(this.#dir, entry.name), {
        mode: 'load',
      });
      if (directory.file === undefined) continue;
      if (!directory.skill.valid) {
        report.skipped.push({ directory: entry.name, problems: directory.skill.problems });
        continue;
      }
      for (const warning of directory.skill.warnings)
        this.#log.warn({ skill: entry.name, ...warning }, 'skill loaded with a warning');
      onDisk.set(
        entry.name,
        sha256(await readFile(path.join(directory.dir, directory.file), 'utf8')),
      );
    }
    const now = this.#clock.now();
    await this.#knex.transaction(async (trx) => {
      const rows = (await trx('skills').select('name', 'content_sha256')) as Pick<
        SkillRow,
        'name' | 'content_sha256'
      >[];
      const indexed = new Map(rows.map((row) => [row.name, row.content_sha256]));
      for (const [name, digest] of onDisk) {
        const known = indexed.get(name);
        if (known === undefined) {
          await trx('skills').insert({
            name,
            content_sha256: digest,
            created_at: now,
            updated_at: now,
          });
          report.added.push(name);
        } else if (known !== digest) {
          await trx('skills').where({ name }).update({ content_sha256: digest, updated_at: now });
          report.updated.push(name);
        }
      }
      const gone = [...indexed.keys()].filter((name) => !onDisk.has(name));
      if (gone.length > 0) await trx('skills').whereIn('name', gone).delete();
      report.removed.push(...gone);
    });
    return report;
  }

  /** Every indexed skill, by name. */
  async list(): Promise<Skill[]> {
    const rows = (await this.#knex('skills').orderBy('name')) as SkillRow[];
    const tools = await this.#toolsBySkill();
    const skills: Skill[] = [];
    for (const row of rows) {
      const skill = await this.#load(row, tools.get(row.name) ?? []);
      if (skill !== undefined) skills.push(skill);
    }
    return skills;
  }

  /** One skill, or undefined. */
  async get(name: string): Promise<Skill | undefined> {
    const row = (await this.#knex('skills').where({ name }).first()) as SkillRow | undefined;
    if (row === undefined) return undefined;
    return this.#load(row, (await this.#toolsBySkill(name)).get(name) ?? []);
  }

  /** Creates a skill: validates it, writes its directory and SKILL.md, indexes it. */
  async create(
    name: string,
    input: SkillInput & { description: string; prompt: string },
  ): Promise<Skill> {
    if (
      (await this.#knex('skills').where({ name }).first()) !== undefined ||
      (await exists(path.join(this.#dir, name)))
    ) {
      throw AppErrors.AKM_SKILL_EXISTS({ name });
    }
    const text = this.#render(name, emptyFrontmatter(name), '', input);
    await mkdir(path.join(this.#dir, name), { recursive: true, mode: 0o750 });
    await writeAtomically(path.join(this.#dir, name, 'SKILL.md'), text);
    const now = this.#clock.now();
    await this.#knex('skills').insert({
      name,
      enabled: input.enabled ?? true,
      category: input.category ?? null,
      content_sha256: sha256(text),
      created_at: now,
      updated_at: now,
    });
    return (await this.get(name)) as Skill;
  }

  /**
   * Creates or replaces a skill from the whole text of its SKILL.md, kept as written (checked
   * strictly against the specification first). Undefined when replacing a skill that does not
   * exist.
   */
  async writeContent(
    name: string,
    text: string,
    options: { create: boolean; enabled?: boolean; category?: string | null },
  ): Promise<Skill | undefined> {
    const known = (await this.#knex('skills').where({ name }).first()) !== undefined;
    if (options.create && (known || (await exists(path.join(this.#dir, name)))))
      throw AppErrors.AKM_SKILL_EXISTS({ name });
    if (!options.create && !known) return undefined;
    const parsed = parseSkill(text, { directoryName: name });
    if (!parsed.valid) {
      throw AppErrors.AKM_SKILL_INVALID(
        { name, problems: parsed.problems.map((p) => p.message) },
        { details: parsed.problems },
      );
    }
    await mkdir(path.join(this.#dir, name), { recursive: true, mode: 0o750 });
    await writeAtomically(path.join(this.#dir, name, 'SKILL.md'), text);
    const now = this.#clock.now();
    const fields = {
      content_sha256: sha256(text),
      updated_at: now,
      ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      ...(options.category === undefined ? {} : { category: options.category }),
    };
    if (options.create) await this.#knex('skills').insert({ name, created_at: now, ...fields });
    else await this.#knex('skills').where({ name }).update(fields);
    return this.get(name);
  }

  /** The text of a skill's SKILL.md as it is on disk. */
  async readContent(name: string): Promise<string> {
    const directory = await readSkillDirectory(path.join(this.#dir, name), { mode: 'load' });
    if (directory.file === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'skill', id: name });
    return readFile(path.join(directory.dir, directory.file), 'utf8');
  }

  /** Changes the fields given; SKILL.md is rewritten atomically. Undefined when there is no such skill. */
  async update(name: string, input: SkillInput): Promise<Skill | undefined> {
    const current = await this.get(name);
    if (current === undefined) return undefined;
    const touchesFile = [
      'description',
      'prompt',
      'license',
      'compatibility',
      'metadata',
      'allowedTools',
    ].some((field) => input[field as keyof SkillInput] !== undefined);
    const patch: Record<string, unknown> = { updated_at: this.#clock.now() };
    if (touchesFile) {
      const text = this.#render(name, current.frontmatter, current.prompt, input);
      await writeAtomically(path.join(this.#dir, name, 'SKILL.md'), text);
      patch.content_sha256 = sha256(text);
    }
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    if (input.category !== undefined) patch.category = input.category;
    await this.#knex('skills').where({ name }).update(patch);
    return this.get(name);
  }

  /** Deletes a skill's directory and index row; true when it existed. */
  async delete(name: string): Promise<boolean> {
    const deleted = (await this.#knex('skills').where({ name }).delete()) > 0;
    if (deleted) await rm(path.join(this.#dir, name), { recursive: true, force: true });
    return deleted;
  }

  /** Attaches exactly these tool instances to a skill. */
  async setTools(name: string, toolInstanceIds: readonly string[]): Promise<Skill | undefined> {
    if ((await this.#knex('skills').where({ name }).first()) === undefined) return undefined;
    const ids = [...new Set(toolInstanceIds)];
    if (ids.length > 0) {
      const found = (await this.#knex('tool_instances').whereIn('id', ids).select('id')) as {
        id: string;
      }[];
      const missing = ids.filter((id) => !found.some((row) => row.id === id));
      if (missing.length > 0) throw AppErrors.AKM_UNKNOWN_TOOL_INSTANCE({ ids: missing });
    }
    await this.#knex.transaction(async (trx) => {
      await trx('skill_tools').where({ skill_name: name }).delete();
      if (ids.length > 0)
        await trx('skill_tools').insert(
          ids.map((id) => ({ skill_name: name, tool_instance_id: id })),
        );
    });
    return this.get(name);
  }

  /** The files in a skill's scripts/, references/ and assets/, with their sizes. */
  async listFiles(name: string): Promise<{ path: string; size: number }[]> {
    const files: { path: string; size: number }[] = [];
    for (const folder of resourceFolders) {
      const root = path.join(this.#dir, name, folder);
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath ?? root, entry.name);
        files.push({
          path: path.relative(path.join(this.#dir, name), full).split(path.sep).join('/'),
          size: (await stat(full)).size,
        });
      }
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Reads one resource file. */
  async readResource(name: string, relative: string): Promise<Buffer> {
    const file = await resolveResourcePath(path.join(this.#dir, name), relative);
    return readFile(file).catch(() => {
      throw AppErrors.AKM_NOT_FOUND({ what: 'skill file', id: relative });
    });
  }

  /** Writes one resource file (creating its folders), atomically. */
  async writeResource(name: string, relative: string, content: Buffer): Promise<void> {
    const file = await resolveResourcePath(path.join(this.#dir, name), relative);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    await writeAtomically(file, content);
  }

  /** Deletes one resource file; true when it existed. */
  async deleteResource(name: string, relative: string): Promise<boolean> {
    const file = await resolveResourcePath(path.join(this.#dir, name), relative);
    if (!(await exists(file))) return false;
    await rm(file);
    return true;
  }

  #render(name: string, base: SkillFrontmatter, body: string, input: SkillInput): string {
    const frontmatter: Record<string, unknown> = { ...base, name };
    const set = (field: string, value: unknown): void => {
      if (value === undefined) return;
      if (value === null) delete frontmatter[field];
      else frontmatter[field] = value;
    };
    set('description', input.description);
    set('license', input.license);
    set('compatibility', input.compatibility);
    set('metadata', input.metadata);
    set('allowed-tools', input.allowedTools);
    const text = renderSkill({
      frontmatter: frontmatter as unknown as SkillFrontmatter,
      body: input.prompt ?? body,
    });
    const parsed = parseSkill(text, { directoryName: name });
    if (!parsed.valid) {
      throw AppErrors.AKM_SKILL_INVALID(
        { name, problems: parsed.problems.map((p) => p.message) },
        { details: parsed.problems },
      );
    }
    return text;
  }

  async #load(row: SkillRow, toolInstanceIds: readonly string[]): Promise<Skill | undefined> {
    const directory = await readSkillDirectory(path.join(this.#dir, row.name), { mode: 'load' });
    if (directory.file === undefined || !directory.skill.valid) return undefined;
    return {
      name: row.name,
      description: directory.skill.frontmatter.description,
      frontmatter: directory.skill.frontmatter,
      prompt: directory.skill.body,
      enabled: row.enabled,
      category: row.category,
      toolInstanceIds,
      warnings: directory.skill.warnings,
      updatedAt: row.updated_at,
    };
  }

  async #toolsBySkill(name?: string): Promise<Map<string, string[]>> {
    const query = this.#knex('skill_tools')
      .select('skill_name', 'tool_instance_id')
      .orderBy('tool_instance_id');
    if (name !== undefined) void query.where({ skill_name: name });
    const rows = (await query) as { skill_name: string; tool_instance_id: string }[];
    const map = new Map<string, string[]>();
    for (const row of rows)
      map.set(row.skill_name, [...(map.get(row.skill_name) ?? []), row.tool_instance_id]);
    return map;
  }
}

function emptyFrontmatter(name: string): SkillFrontmatter {
  return { name, description: '' };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Writes to a temp file beside the target and renames it over the target. */
async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, content, { mode: 0o640 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
