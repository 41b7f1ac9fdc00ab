// The JSON shapes of the eval scorecard routes (routes/evals.ts), inline in each operation.

const totals = {
  results: { type: 'integer', description: 'Scenario attempts counted' },
  passed: { type: 'integer', description: 'Attempts that passed every check' },
  pass_rate: { type: 'number', minimum: 0, maximum: 1, description: 'passed / results' },
  tokens: { type: 'integer', description: 'Model tokens, in and out' },
  cost_usd: {
    type: ['number', 'null'],
    description: 'Sum of the known costs; null when no price was known',
  },
  duration_ms: { type: 'integer', description: 'Time the attempts took, summed' },
  first_run_at: { type: 'string', format: 'date-time' },
  last_run_at: { type: 'string', format: 'date-time' },
} as const;

const totalsRequired = [
  'results',
  'passed',
  'pass_rate',
  'tokens',
  'cost_usd',
  'duration_ms',
  'first_run_at',
  'last_run_at',
] as const;

/** How one model did over every stored eval run. */
export const modelScorecardSchema = {
  type: 'object',
  required: ['model', 'runs', ...totalsRequired],
  properties: { model: { type: 'string' }, runs: { type: 'integer' }, ...totals },
} as const;

/** How one version of one skill did with one model. */
export const skillVersionScorecardSchema = {
  type: 'object',
  required: ['skill', 'version', 'model', ...totalsRequired],
  properties: {
    skill: { type: 'string' },
    version: {
      type: 'string',
      description: "`sha256:` and the hash of the skill's files when the run used it",
    },
    model: { type: 'string' },
    ...totals,
  },
} as const;

const runProperties = {
  id: { type: 'string', format: 'uuid' },
  model: { type: 'string' },
  endpoint_host: {
    type: ['string', 'null'],
    description: "The model endpoint's host and port (never a key or a path)",
  },
  started_at: { type: 'string', format: 'date-time' },
  duration_ms: { type: 'integer' },
  results: { type: 'integer' },
  passed: { type: 'integer' },
  pass_rate: { type: 'number', minimum: 0, maximum: 1 },
  tokens: { type: 'integer' },
  cost_usd: { type: ['number', 'null'] },
} as const;

const runRequired = Object.keys(runProperties);

/** One eval run's totals. */
export const evalRunSchema = {
  type: 'object',
  required: runRequired,
  properties: runProperties,
} as const;

/** One eval run with its scenario attempts. */
export const evalRunDetailSchema = {
  type: 'object',
  required: [...runRequired, 'attempts'],
  properties: {
    ...runProperties,
    attempts: {
      description: 'Each scenario attempt, in the order the run stored them',
      type: 'array',
      items: {
        type: 'object',
        required: [
          'scenario_id',
          'scenario_title',
          'attempt',
          'passed',
          'checks',
          'tokens',
          'cost_usd',
          'tool_calls',
          'duration_ms',
          'error',
          'skills',
        ],
        properties: {
          scenario_id: { type: 'string' },
          scenario_title: { type: ['string', 'null'] },
          attempt: { type: 'integer', minimum: 1 },
          passed: { type: 'boolean' },
          checks: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'title', 'passed', 'detail'],
              properties: {
                name: { type: 'string', description: 'Stable id, e.g. root_cause, evidence' },
                title: { type: 'string', description: 'What the check asks' },
                passed: { type: 'boolean' },
                detail: { type: 'string' },
              },
            },
          },
          tokens: { type: 'integer' },
          cost_usd: { type: ['number', 'null'] },
          tool_calls: { type: ['integer', 'null'] },
          duration_ms: { type: 'integer' },
          error: { type: ['string', 'null'] },
          skills: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'version'],
              properties: { name: { type: 'string' }, version: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

const outcome = { type: 'string', enum: ['pass', 'fail', 'mixed'] } as const;

/** A skill's versions side by side with one model. */
export const skillVersionsSchema = {
  type: 'object',
  required: ['skill', 'model', 'models', 'versions'],
  properties: {
    skill: { type: 'string' },
    model: { type: ['string', 'null'], description: 'The model compared; null when none ran' },
    models: { type: 'array', items: { type: 'string' }, description: 'Models that ran it' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'version',
          'first_run_at',
          'last_run_at',
          'results',
          'passed',
          'pass_rate',
          'scenarios',
          'changes',
        ],
        properties: {
          version: { type: 'string' },
          first_run_at: { type: 'string', format: 'date-time' },
          last_run_at: { type: 'string', format: 'date-time' },
          results: { type: 'integer' },
          passed: { type: 'integer' },
          pass_rate: { type: 'number', minimum: 0, maximum: 1 },
          scenarios: {
            type: 'array',
            items: {
              type: 'object',
              required: ['scenario_id', 'results', 'passed', 'outcome', 'last_run_id'],
              properties: {
                scenario_id: { type: 'string' },
                results: { type: 'integer' },
                passed: { type: 'integer' },
                outcome,
                last_run_id: { type: 'string', format: 'uuid' },
              },
            },
          },
          changes: {
            type: 'array',
            description:
              'Scenarios both versions ran whose outcome differs from the version before',
            items: {
              type: 'object',
              required: ['scenario_id', 'from', 'to'],
              properties: { scenario_id: { type: 'string' }, from: outcome, to: outcome },
            },
          },
        },
      },
    },
  },
} as const;
