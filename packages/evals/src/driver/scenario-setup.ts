import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentToolInstance } from '../environments/environment.js';
import { EvalErrors } from '../errors.js';
import type { EvalSkillVersion } from '../report/eval-result.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { AkmatoriApi } from './akmatori-api.js';

/** What the harness created in Akmatori for one scenario run, to use and then remove. */
export interface ScenarioSetup {
  /** Tool instance name → id. */
  readonly toolIds: ReadonlyMap<string, string>;
  readonly sourceUuid: string;
  readonly skills: readonly EvalSkillVersion[];
  /** Removes the source, the tool instances and the scenario's own skills. */
  remove(): Promise<void>;
}

interface SkillView {
  readonly name: string;
  readonly enabled: boolean;
}

const skillFileFolders = ['scripts', 'references', 'assets'];

function filesUnder(dir: string, prefix: string): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(dir, relative);
    return entry.isFile() ? [relative] : [];
  });
}

/**
 * Creates in Akmatori, through its public API, what `scenario` needs: the tool instances of its
 * built environments, its own skills (folders under `skills/`), exactly its skills enabled with
 * exactly its `tools` attached (every other skill disabled and detached), and an alert source of
 * its type that names its skills.
 */
export async function setUpScenario(
  api: AkmatoriApi,
  scenario: Scenario,
  toolInstances: readonly EnvironmentToolInstance[],
  label: string,
): Promise<ScenarioSetup> {
  const toolIds = new Map<string, string>();
  const ownSkills: string[] = [];
  let sourceUuid: string | undefined;
  const remove = async (): Promise<void> => {
    const errors: unknown[] = [];
    const attempt = async (call: () => Promise<unknown>): Promise<void> => {
      await call().catch((error: unknown) => errors.push(error));
    };
    if (sourceUuid !== undefined)
      await attempt(() => api.call('DELETE', `/api/alert-sources/${sourceUuid}`, undefined, 204));
    for (const id of toolIds.values())
      await attempt(() => api.call('DELETE', `/api/tools/${id}`, undefined, 204));
    for (const name of ownSkills)
      await attempt(() => api.call('DELETE', `/api/skills/${name}`, undefined, 204));
    if (errors.length > 0) throw errors[0];
  };

  try {
    for (const instance of toolInstances) {
      const created = await api.call<{ id: string }>(
        'POST',
        '/api/tools',
        {
          tool_type_name: instance.type,
          name: instance.name,
          settings: { ...instance.settings, ...instance.credentials },
        },
        201,
      );
      toolIds.set(instance.name, created.id);
    }
    const unknownTools = scenario.definition.tools.filter((name) => !toolIds.has(name));
    if (unknownTools.length > 0)
      throw EvalErrors.AKM_EVAL_SCENARIO_INVALID({
        scenario: scenario.id,
        problems: [
          `tools ${unknownTools.join(', ')} are not tool instances of its environments (they offer ${[...toolIds.keys()].join(', ') || 'none'})`,
        ],
      });
    const grantedIds = scenario.definition.tools.map((name) => toolIds.get(name)!);

    for (const skill of scenario.skills) {
      if (skill.kind !== 'folder') continue;
      const content = readFileSync(path.join(skill.dir, 'SKILL.md'), 'utf8');
      await api.call('POST', '/api/skills', { name: skill.name, content, enabled: true }, 201);
      ownSkills.push(skill.name);
      for (const folder of skillFileFolders) {
        let files: string[];
        try {
          files = filesUnder(skill.dir, folder);
        } catch {
          continue;
        }
        for (const file of files)
          await api.call(
            'PUT',
            `/api/skills/${skill.name}/files/${file.split('/').map(encodeURIComponent).join('/')}`,
            {
              content: readFileSync(path.join(skill.dir, file)).toString('base64'),
              encoding: 'base64',
            },
            204,
          );
      }
    }

    const wanted = new Set(scenario.definition.skills);
    const all = (await api.call<{ data: SkillView[] }>('GET', '/api/skills')).data;
    const missing = [...wanted].filter((name) => !all.some((skill) => skill.name === name));
    if (missing.length > 0)
      throw EvalErrors.AKM_EVAL_SCENARIO_INVALID({
        scenario: scenario.id,
        problems: [`the server has no skill ${missing.join(', ')}`],
      });
    const skills: EvalSkillVersion[] = [];
    for (const skill of all) {
      const on = wanted.has(skill.name);
      if (skill.enabled !== on) await api.call('PUT', `/api/skills/${skill.name}`, { enabled: on });
      await api.call('PUT', `/api/skills/${skill.name}/tools`, {
        tool_instance_ids: on ? grantedIds : [],
      });
      if (on) {
        const { content } = await api.call<{ content: string }>('GET', `/api/skills/${skill.name}`);
        skills.push({
          name: skill.name,
          sha256: createHash('sha256').update(content).digest('hex'),
        });
      }
    }

    const source = await api.call<{ uuid: string }>(
      'POST',
      '/api/alert-sources',
      {
        source_type_name: scenario.definition.source,
        name: label,
        allow_unauthenticated: true,
        grouping_window_seconds: 0,
        skills: scenario.definition.skills,
      },
      201,
    );
    sourceUuid = source.uuid;
    return { toolIds, sourceUuid: source.uuid, skills, remove };
  } catch (error) {
    await remove().catch(() => {});
    throw error;
  }
}
