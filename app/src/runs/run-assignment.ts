import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AlertRecord, IncidentRecord, PluginHost } from '@akmatori/core';
import { mcpToolName, type ToolGrant } from '@akmatori/gateway';
import {
  renderAgentsMd,
  type AssignedFile,
  type AssignedSkill,
  type RunAssignment,
} from '@akmatori/runner-codex';
import type { Knex } from 'knex';
import { investigationContext } from '../incidents/investigation-brief.js';
import type { SkillStore } from '../skills/skill-store.js';
import type { ToolInstanceRepository } from '../tools/tool-instance-repository.js';

/** Recent incidents with the same title, shown to the agent as history. */
const RELATED_INCIDENTS = 5;

/** What building an assignment reads. */
export interface AssignmentSources {
  readonly knex: Knex;
  readonly skills: SkillStore;
  readonly instances: ToolInstanceRepository;
  readonly plugins: Pick<PluginHost, 'toolProvider'>;
  /** Directory of the uploaded context files. */
  readonly contextFilesDir: string;
}

/** The skills, tools and files a run gets, before its token is signed. */
export interface RunMaterials {
  readonly agentsMd: string;
  readonly skills: readonly AssignedSkill[];
  readonly contextFiles: readonly AssignedFile[];
  /** What the run token grants: the tools of the instances attached to enabled skills. */
  readonly grants: readonly ToolGrant[];
}

/**
 * Gathers what a run of `incident` needs: the enabled skills with their files, the tools
 * attached to them (the run's grants: nothing else is reachable), the context files, and
 * `AGENTS.md` with the incident, its alerts, recent related incidents and which tools each
 * skill may use.
 */
export async function gatherRunMaterials(
  sources: AssignmentSources,
  incident: IncidentRecord,
  alerts: readonly AlertRecord[],
): Promise<RunMaterials> {
  const enabled = (await sources.skills.list()).filter((skill) => skill.enabled);
  const grants = new Map<string, ToolGrant>();
  const toolsOfSkill = new Map<string, string[]>();
  for (const skill of enabled) {
    const names: string[] = [];
    for (const id of skill.toolInstanceIds) {
      const instance = await sources.instances.get(id);
      if (instance === undefined || !instance.enabled) continue;
      const tools = (sources.plugins.toolProvider(instance.toolType)?.tools ?? []).map(
        (t) => t.name,
      );
      grants.set(id, { instanceId: id, tools });
      names.push(...tools.map((tool) => mcpToolName(instance.name, tool)));
    }
    toolsOfSkill.set(skill.name, names);
  }
  const skills: AssignedSkill[] = [];
  for (const skill of enabled) {
    skills.push({
      name: skill.name,
      files: await filesUnder(path.join(sources.skills.directory, skill.name)),
    });
  }
  const contextFiles = await contextFilesOf(sources);
  const sections = [
    {
      title: 'Skills and their tools',
      body:
        enabled.length === 0
          ? 'No skills are enabled.'
          : enabled
              .map((skill) => {
                const tools = toolsOfSkill.get(skill.name) ?? [];
                return `- \`${skill.name}\` (.agents/skills/${skill.name}/SKILL.md): ${skill.description}\n  tools: ${tools.length === 0 ? 'none' : tools.map((t) => `\`${t}\``).join(', ')}`;
              })
              .join('\n'),
    },
    ...(contextFiles.length === 0
      ? []
      : [
          {
            title: 'Context files',
            body: contextFiles.map((file) => `- context/${file.path}`).join('\n'),
          },
        ]),
    { title: 'Recent related incidents', body: await relatedIncidents(sources.knex, incident) },
  ];
  return {
    agentsMd: renderAgentsMd({ context: investigationContext(incident, alerts), sections }),
    skills,
    contextFiles,
    grants: [...grants.values()],
  };
}

/** A run assignment from its materials and the run's particulars. */
export function runAssignment(
  materials: RunMaterials,
  run: Omit<RunAssignment, 'agentsMd' | 'skills' | 'contextFiles'>,
): RunAssignment {
  return {
    ...run,
    agentsMd: materials.agentsMd,
    skills: materials.skills,
    contextFiles: materials.contextFiles,
  };
}

async function filesUnder(dir: string, prefix = ''): Promise<AssignedFile[]> {
  const files: AssignedFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full, relative)));
    else if (entry.isFile())
      files.push({ path: relative, contentBase64: (await readFile(full)).toString('base64') });
  }
  return files;
}

async function contextFilesOf(sources: AssignmentSources): Promise<AssignedFile[]> {
  const rows = (await sources.knex('context_files').select('id', 'name').orderBy('name')) as {
    id: string;
    name: string;
  }[];
  const files: AssignedFile[] = [];
  for (const row of rows) {
    const content = await readFile(path.join(sources.contextFilesDir, row.id)).catch(
      () => undefined,
    );
    if (content !== undefined)
      files.push({ path: row.name, contentBase64: content.toString('base64') });
  }
  return files;
}

async function relatedIncidents(knex: Knex, incident: IncidentRecord): Promise<string> {
  const rows = (await knex('incidents')
    .select('id', 'title', 'status', 'created_at', 'summary')
    .whereNot({ id: incident.id })
    .andWhere({ title: incident.title })
    .orderBy('created_at', 'desc')
    .limit(RELATED_INCIDENTS)) as {
    id: string;
    title: string;
    status: string;
    created_at: Date;
    summary: string | null;
  }[];
  if (rows.length === 0) return 'None with the same title.';
  return rows
    .map(
      (row) =>
        `- ${row.created_at.toISOString()} ${row.title} (${row.status})${row.summary === null ? '' : `: ${row.summary.split('\n')[0]?.slice(0, 300)}`}`,
    )
    .join('\n');
}
