import type { FastifyInstance } from 'fastify';
import type { ReplayChanges, ReplayResult, ReplaySide } from '../replay/replay-run.js';
import type { RunRecordingStore } from '../replay/run-recording-store.js';
import type { ReplayedAttempt, RunReplays } from '../replay/run-replays.js';
import { errorResponses } from '../server/error-handler.js';

const toolCall = {
  type: 'object',
  required: ['name', 'arguments'],
  properties: {
    name: { type: 'string' },
    arguments: { type: 'object', additionalProperties: true },
  },
} as const;

const side = {
  tool_calls: { type: 'array', items: toolCall },
  report_markdown: { type: ['string', 'null'] },
  report: { type: 'object', additionalProperties: { type: 'string' } },
} as const;

const nullableText = { type: ['string', 'null'] } as const;

/** The JSON of a replay: both sides and their differences. */
export const replayResultSchema = {
  type: 'object',
  required: ['mode', 'skills_from', 'replayed', 'original', 'replay', 'diff'],
  properties: {
    mode: { type: 'string', enum: ['recorded', 'model'] },
    skills_from: {
      type: 'string',
      enum: ['recording', 'current'],
      description: 'Whether the skills were as the run had them or as they are now',
    },
    replayed: {
      type: 'object',
      description:
        'The attempt replayed: the last one, whose outcome the run has (a run whose worker was lost is run again as a new attempt)',
      required: ['run_id', 'attempt', 'attempts'],
      properties: {
        run_id: { type: 'string', format: 'uuid' },
        attempt: { type: 'integer', minimum: 1 },
        attempts: { type: 'integer', minimum: 1 },
      },
    },
    original: { type: 'object', required: Object.keys(side), properties: side },
    replay: {
      type: 'object',
      required: [...Object.keys(side), 'status', 'error', 'calls', 'model_calls'],
      properties: {
        ...side,
        status: { type: 'string', enum: ['completed', 'failed'] },
        error: nullableText,
        calls: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'arguments', 'recorded', 'is_error'],
            properties: {
              ...toolCall.properties,
              recorded: { type: 'boolean' },
              is_error: { type: 'boolean' },
            },
          },
        },
        model_calls: { type: 'integer' },
      },
    },
    diff: {
      type: 'object',
      required: ['identical', 'tool_calls', 'report'],
      properties: {
        identical: { type: 'boolean' },
        tool_calls: {
          type: 'object',
          required: ['added', 'removed', 'changed'],
          properties: {
            added: { type: 'array', items: toolCall },
            removed: { type: 'array', items: toolCall },
            changed: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'before', 'after'],
                properties: {
                  name: { type: 'string' },
                  before: { type: 'object', additionalProperties: true },
                  after: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
        report: {
          type: 'array',
          items: {
            type: 'object',
            required: ['section', 'before', 'after'],
            properties: { section: { type: 'string' }, before: nullableText, after: nullableText },
          },
        },
      },
    },
  },
} as const;

const sideJson = (value: ReplaySide): Record<string, unknown> => ({
  tool_calls: value.toolCalls,
  report_markdown: value.reportMarkdown,
  report: { ...value.report },
});

/**
 * A replay as the API returns it (snake_case).
 *
 * @example
 * ```ts
 * reply.send(replayJson(await replays.replay(runId, { mode: 'recorded' })));
 * ```
 */
export function replayJson(
  result: ReplayResult & { readonly replayed: ReplayedAttempt },
): Record<string, unknown> {
  return {
    mode: result.mode,
    skills_from: result.skillsFrom,
    replayed: {
      run_id: result.replayed.runId,
      attempt: result.replayed.attempt,
      attempts: result.replayed.attempts,
    },
    original: sideJson(result.original),
    replay: {
      ...sideJson(result.replay),
      status: result.replay.status,
      error: result.replay.error,
      calls: result.replay.calls.map((call) => ({
        name: call.name,
        arguments: call.arguments,
        recorded: call.recorded,
        is_error: call.isError,
      })),
      model_calls: result.replay.modelCalls,
    },
    diff: {
      identical: result.diff.identical,
      tool_calls: result.diff.toolCalls,
      report: result.diff.report,
    },
  };
}

/**
 * `GET /api/runs/{uuid}/recording`: a run's recording, opened; `POST /api/runs/{uuid}/replay`:
 * replay it and show what changed.
 */
export async function runReplayRoutes(
  app: FastifyInstance,
  options: {
    readonly replays: Pick<RunReplays, 'replay'>;
    readonly recordings: Pick<RunRecordingStore, 'entries'>;
  },
): Promise<void> {
  app.get<{ Params: { uuid: string } }>(
    '/runs/:uuid/recording',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['runs'],
        summary: "A run's recording: its task, tool list, model exchanges and tool results",
        description:
          'The entries replay answers from, in the order they were recorded, opened (they are sealed at rest). Secret values were scrubbed before recording. Empty for a run recorded before recording existed, or whose recording retention removed.',
        params: {
          type: 'object',
          required: ['uuid'],
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['kind'],
                  additionalProperties: true,
                  properties: {
                    kind: { type: 'string', enum: ['task', 'tools', 'model', 'tool'] },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({ data: await options.recordings.entries(request.params.uuid) }),
  );

  app.post<{
    Params: { uuid: string };
    Body: {
      mode?: ReplayChanges['mode'];
      skills_from?: NonNullable<ReplayChanges['skillsFrom']>;
      skills?: { name: string; content: string }[];
      prompt?: string;
      instructions?: string;
    } | null;
  }>(
    '/runs/:uuid/replay',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['runs'],
        summary: 'Replay a recorded run, the tools answered from its recording, and diff it',
        description:
          "Runs the recorded task of the run's last attempt (the one whose outcome it has, whichever attempt the id names) again with the Codex runner against a stand-in gateway that answers every tool call from the run's recording (a call it does not hold gets a \"Not recorded\" tool error; no tool really runs). `mode: recorded` (default) answers the model from the recording too, so the replay reproduces the run exactly; `mode: model` asks the configured LLM instead. `skills_from: current` gives the agent each skill the run had as it is now (default `recording`: as the run had it); `skills` then replaces or adds SKILL.md files; `prompt` and `instructions` replace the run's. Answers when the replay has ended, with the attempt replayed, the tool calls and report of both and their differences. A follow-up is replayed resuming the session it resumed (the investigation's earlier turns, kept in its recording). 409 for a run not finished, or without a recording (or a follow-up's without its session, recorded before sessions were).",
        params: {
          type: 'object',
          required: ['uuid'],
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            mode: { type: 'string', enum: ['recorded', 'model'], default: 'recorded' },
            skills_from: { type: 'string', enum: ['recording', 'current'], default: 'recording' },
            skills: {
              type: 'array',
              maxItems: 50,
              items: {
                type: 'object',
                required: ['name', 'content'],
                additionalProperties: false,
                properties: {
                  name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
                  content: { type: 'string', minLength: 1, maxLength: 200_000 },
                },
              },
            },
            prompt: { type: 'string', minLength: 1, maxLength: 200_000 },
            instructions: { type: 'string', minLength: 1, maxLength: 200_000 },
          },
        },
        response: { 200: replayResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      const result = await options.replays.replay(request.params.uuid, {
        mode: body.mode ?? 'recorded',
        skillsFrom: body.skills_from ?? 'recording',
        ...(body.skills === undefined ? {} : { skills: body.skills }),
        ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
        ...(body.instructions === undefined ? {} : { instructions: body.instructions }),
      });
      request.log.info(
        {
          run: request.params.uuid,
          attempt: result.replayed.runId,
          mode: result.mode,
          identical: result.diff.identical,
        },
        'run replayed',
      );
      return replayJson(result);
    },
  );
}
