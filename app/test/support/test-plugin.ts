import {
  defineAlertAdapter,
  defineNotifier,
  definePlugin,
  defineRunner,
  emptyObjectSchema,
  normalizeSeverity,
  payloadError,
  type AkmatoriPlugin,
  type IncidentEvent,
  type RunEvent,
  type RunGateway,
  type RunTask,
} from '@akmatori/core';

/** The body the test adapter reads: `{alerts: [{id, name, status, severity?, group?, host?}]}`. */
export interface TestAlert {
  id: string;
  name?: string;
  status?: 'firing' | 'resolved';
  severity?: string;
  group?: string;
  host?: string;
  startsAt?: string;
  endsAt?: string;
  labels?: Record<string, string>;
}

/** A minimal adapter for engine tests, independent of the built-in ones. */
export const testAdapter = defineAlertAdapter({
  id: 'test-json',
  displayName: 'Test JSON',
  configSchema: emptyObjectSchema,
  authentication: 'X-Test-Key: <webhook secret>',
  fingerprintFields: ['alerts[].id'],
  samples: [
    {
      name: 'one firing',
      body: { alerts: [{ id: 'sample-1', name: 'SampleAlert', severity: 'critical' }] },
    },
  ],
  verify: (request, { secret }) => request.headers['x-test-key'] === secret,
  parse(request, { receivedAt }) {
    const body = request.body as { alerts?: unknown };
    if (body === null || typeof body !== 'object' || !Array.isArray(body.alerts))
      throw payloadError('alerts must be an array');
    return body.alerts.map((item: TestAlert, index) => {
      if (item === null || typeof item !== 'object' || typeof item.id !== 'string')
        throw payloadError(`alerts[${index}].id must be a string`);
      return {
        name: item.name ?? 'TestAlert',
        status: item.status ?? 'firing',
        ...normalizeSeverity(item.severity),
        fingerprint: item.id,
        ...(item.group === undefined ? {} : { groupKey: item.group }),
        ...(item.host === undefined ? {} : { host: item.host }),
        startsAt: item.startsAt === undefined ? receivedAt : new Date(item.startsAt),
        ...(item.endsAt === undefined ? {} : { endsAt: new Date(item.endsAt) }),
        labels: item.labels ?? {},
        annotations: {},
        payloadItem: item,
      };
    });
  },
});

/** Runs recorded by the scripted runner, for assertions. */
export const scriptedRuns: RunTask[] = [];

/** The gateway access each scripted run was given, by run id. */
export const scriptedGateways = new Map<string, RunGateway>();

/** A runner that answers every investigation with a fixed finding. */
export const scriptedRunner = defineRunner({
  id: 'scripted',
  displayName: 'Scripted test runner',
  start(task, context) {
    scriptedRuns.push(task);
    scriptedGateways.set(task.runId, context.gateway);
    return {
      events: (async function* (): AsyncGenerator<RunEvent> {
        // The session is the incident's: a follow-up resumes it by id.
        yield { type: 'run.started', sessionId: task.resume?.id ?? `session-${task.incidentId}` };
        yield { type: 'agent.message', text: `Looked at ${task.incidentId}` };
        yield {
          type: 'run.completed',
          summary: `Root cause found for: ${task.prompt.slice(0, 40)}`,
        };
      })(),
      cancel: async () => {},
    };
  },
});

/** The test adapter alone. */
export const testAdapterPlugin = (): AkmatoriPlugin =>
  definePlugin({ name: 'test-adapter', adapters: [testAdapter] });

/** The scripted runner alone. */
export const scriptedRunnerPlugin = (): AkmatoriPlugin =>
  definePlugin({ name: 'scripted-runner', runners: [scriptedRunner] });

/** Events delivered to the recording notifier, for assertions. */
export const recordedEvents: IncidentEvent[] = [];

/** A notifier that records what it is told. */
export const recordingNotifier = defineNotifier({
  id: 'recorder',
  displayName: 'Recorder',
  configSchema: emptyObjectSchema,
  onIncidentEvent: async (event) => {
    recordedEvents.push(event);
  },
});

/** The recording notifier alone. */
export const recordingNotifierPlugin = (): AkmatoriPlugin =>
  definePlugin({ name: 'recording-notifier', notifiers: [recordingNotifier] });
