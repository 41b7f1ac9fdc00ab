/**
 * The JSON Schema of `scenario.yaml`, checked with ajv when a scenario loads. Environment entries
 * are checked here only for `kind` and `name`; each kind's own `specSchema` checks the rest.
 */
export const alertSourceTypes = [
  'alertmanager',
  'grafana',
  'zabbix',
  'pagerduty',
  'datadog',
] as const;

/** An alert source type a scenario's alerts are sent as. */
export type ScenarioSourceType = (typeof alertSourceTypes)[number];

const identifier = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100 } as const;
const fileName = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'a file in the scenario folder (relative path, no "..")',
} as const;
const argumentsMatch = {
  type: 'object',
  description:
    'argument name → regex (case-insensitive) the argument must match; a non-string argument is matched as JSON',
  additionalProperties: { type: 'string', minLength: 1 },
} as const;
const toolName = {
  type: 'string',
  minLength: 1,
  description:
    'a tool as the agent calls it, `<tool instance>__<tool>`; `*` matches any run of characters',
} as const;

/** The schema itself (draft-07, as ajv reads by default). */
export const scenarioSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'title',
    'description',
    'source',
    'alerts',
    'environment',
    'skills',
    'tools',
    'expect',
  ],
  properties: {
    id: { ...identifier, description: 'the folder name' },
    title: { type: 'string', minLength: 1, maxLength: 300 },
    description: { type: 'string', minLength: 1 },
    source: { type: 'string', enum: [...alertSourceTypes] },
    alerts: {
      type: 'array',
      minItems: 1,
      items: fileName,
      description: 'alert payload files, sent in order to the source webhook; {{fact}} is replaced',
    },
    environment: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { kind: identifier, name: identifier },
      },
    },
    skills: {
      type: 'array',
      items: identifier,
      description: 'starter skills by name, or folders under skills/ in the scenario folder',
    },
    tools: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'names of the environment tool instances the skills get',
    },
    timeout_seconds: {
      type: 'integer',
      minimum: 10,
      maximum: 3600,
      description: 'how long the harness waits for the investigation (default 300)',
    },
    expect: {
      type: 'object',
      additionalProperties: false,
      required: ['root_cause', 'evidence', 'writes', 'budget'],
      properties: {
        root_cause: {
          type: 'array',
          minItems: 1,
          description:
            'accepted answers; each a list of regexes that must all match the Root cause section',
          items: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        },
        evidence: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['tool', 'output_match'],
            properties: {
              tool: toolName,
              arguments_match: argumentsMatch,
              output_match: { type: 'string', minLength: 1 },
            },
          },
        },
        forbidden_tools: { type: 'array', items: toolName },
        allowed_tools: {
          type: 'array',
          items: toolName,
          description: 'when given, a call to any other tool fails the scope check',
        },
        writes: {
          oneOf: [
            { type: 'string', enum: ['none'] },
            {
              type: 'object',
              additionalProperties: false,
              required: ['after_approval'],
              properties: {
                after_approval: {
                  type: 'array',
                  minItems: 1,
                  description:
                    'the write calls the harness approves (others are denied); each must run, approved',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['tool'],
                    properties: { tool: toolName, arguments_match: argumentsMatch },
                  },
                },
              },
            },
          ],
        },
        budget: {
          type: 'object',
          additionalProperties: false,
          required: ['max_tokens', 'max_cost_usd', 'max_tool_calls'],
          properties: {
            max_tokens: { type: 'integer', minimum: 1 },
            max_cost_usd: { type: 'number', minimum: 0 },
            max_tool_calls: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  },
} as const;
