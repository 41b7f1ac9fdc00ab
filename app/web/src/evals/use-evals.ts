import { useQuery, type UseQueryReturnType } from '@tanstack/vue-query';
import { computed, type Ref } from 'vue';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';

type Json<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

/** Scorecards per model and per skill version (`GET /api/evals/scorecards`). */
export type Scorecards = Json<'/api/evals/scorecards'>;
/** How one model did. */
export type ModelScorecard = Scorecards['models'][number];
/** How one version of one skill did with one model. */
export type SkillVersionScorecard = Scorecards['skills'][number];
/** An eval run's totals. */
export type EvalRun = Json<'/api/evals/runs'>['data'][number];
/** An eval run with each scenario attempt. */
export type EvalRunDetail = Json<'/api/evals/runs/{id}'>;
/** One scenario attempt of a run. */
export type EvalAttempt = EvalRunDetail['attempts'][number];
/** A skill's versions side by side with one model. */
export type SkillVersions = Json<'/api/evals/skills/{name}/versions'>;
/** One version of a skill in the comparison. */
export type SkillVersionOutcomes = SkillVersions['versions'][number];

/** The scorecards per model and per skill version. */
export function useScorecards(): UseQueryReturnType<Scorecards, Error> {
  return useQuery({
    queryKey: ['evals', 'scorecards'],
    queryFn: async () => call(api.GET('/api/evals/scorecards')),
  });
}

/** The latest eval runs, newest first. */
export function useEvalRuns(): UseQueryReturnType<EvalRun[], Error> {
  return useQuery({
    queryKey: ['evals', 'runs'],
    queryFn: async () =>
      (await call(api.GET('/api/evals/runs', { params: { query: { limit: 50 } } }))).data,
  });
}

/** One eval run with its scenario attempts. */
export function useEvalRun(id: Ref<string>): UseQueryReturnType<EvalRunDetail, Error> {
  return useQuery({
    queryKey: computed(() => ['evals', 'run', id.value]),
    queryFn: async () =>
      call(api.GET('/api/evals/runs/{id}', { params: { path: { id: id.value } } })),
  });
}

/** A skill's versions side by side with `model` (the API picks one when undefined). */
export function useSkillVersions(
  skill: Ref<string | undefined>,
  model: Ref<string | undefined>,
): UseQueryReturnType<SkillVersions, Error> {
  return useQuery({
    queryKey: computed(() => ['evals', 'skill', skill.value, model.value]),
    enabled: computed(() => skill.value !== undefined),
    queryFn: async () =>
      call(
        api.GET('/api/evals/skills/{name}/versions', {
          params: {
            path: { name: skill.value as string },
            query: model.value === undefined ? {} : { model: model.value },
          },
        }),
      ),
  });
}
