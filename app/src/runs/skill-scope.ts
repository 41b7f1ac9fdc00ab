import type { AlertRecord, IncidentRecord, Repositories } from '@akmatori/host';
import type { Knex } from 'knex';
import { AppErrors } from '../errors.js';
import type { Skill, SkillStore } from '../skills/skill-store.js';
import { selectorsMatch, skillSelectors, type IncidentSource } from '../skills/skill-selectors.js';
import type { RunRecord } from './run-repository.js';

/**
 * Which skills a run may use, and so which tools its token grants.
 * - `named`: a person named these skills (manual incident or follow-up);
 * - `all`: a person started the run and named none: every enabled skill;
 * - `alerts`: an incident opened by alerts: the skills its source names plus the skills whose
 *   selectors match its alerts; none of either means no tools at all.
 */
export type SkillScope =
  | { readonly kind: 'named'; readonly skills: readonly string[] }
  | { readonly kind: 'all' }
  | {
      readonly kind: 'alerts';
      readonly source: IncidentSource | undefined;
      readonly sourceSkills: readonly string[];
    };

/**
 * The scope of a run of `incident`: see {@link SkillScope}. `requested` is a person's choice
 * when they started the investigation by hand (re-investigate).
 */
export async function skillScopeOf(
  deps: { readonly knex: Knex; readonly repositories: Pick<Repositories, 'alertSources'> },
  incident: IncidentRecord,
  run: Pick<RunRecord, 'kind' | 'skills'>,
  requested?: { readonly skills: readonly string[] | null },
): Promise<SkillScope> {
  if (requested !== undefined)
    return requested.skills === null
      ? { kind: 'all' }
      : { kind: 'named', skills: requested.skills };
  if (run.kind === 'follow_up')
    return run.skills === null ? { kind: 'all' } : { kind: 'named', skills: run.skills };
  if (incident.sourceId === null) {
    const row = (await deps
      .knex('incidents')
      .select('skills')
      .where({ id: incident.id })
      .first()) as { skills: string[] | null } | undefined;
    const named = row?.skills ?? null;
    return named === null ? { kind: 'all' } : { kind: 'named', skills: named };
  }
  const source = await deps.repositories.alertSources.get(incident.sourceId);
  return {
    kind: 'alerts',
    source: { type: incident.sourceType, name: source?.name },
    sourceSkills: source?.skills ?? [],
  };
}

/** The enabled skills that apply to a run with this scope, by name. */
export function applicableSkills(
  enabled: readonly Skill[],
  scope: SkillScope,
  alerts: readonly Pick<AlertRecord, 'name' | 'labels'>[],
): Skill[] {
  switch (scope.kind) {
    case 'all':
      return [...enabled];
    case 'named':
      return enabled.filter((skill) => scope.skills.includes(skill.name));
    case 'alerts':
      return enabled.filter((skill) => {
        if (scope.sourceSkills.includes(skill.name)) return true;
        const selectors = skillSelectors(skill.frontmatter);
        return selectors !== undefined && selectorsMatch(selectors, scope.source, alerts);
      });
  }
}

/**
 * Checks skill names a person or an alert source names: each must be a skill, and with
 * `enabled` also enabled. Throws `AKM_UNKNOWN_SKILL` naming the first that is not.
 */
export async function checkSkillNames(
  skills: Pick<SkillStore, 'list'>,
  names: readonly string[],
  options: { readonly enabled: boolean },
): Promise<void> {
  const known = await skills.list();
  for (const name of names) {
    const skill = known.find((candidate) => candidate.name === name);
    if (skill === undefined) throw AppErrors.AKM_UNKNOWN_SKILL({ name, reason: 'no such skill' });
    if (options.enabled && !skill.enabled)
      throw AppErrors.AKM_UNKNOWN_SKILL({ name, reason: 'the skill is disabled' });
  }
}
