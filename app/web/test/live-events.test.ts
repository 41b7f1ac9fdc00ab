import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pollUntil } from '@akmatori/test-support/peers/process';
import {
  startAkmatori,
  type CreatedAlertSource,
  type SpawnedAkmatori,
} from '@akmatori/test-support/app/spawned-akmatori';
import {
  LiveEvents,
  type LiveEvent,
  type LiveEventsOptions,
  type LiveSocket,
  type LiveStatus,
} from '../src/live/live-events.js';

const SECRET = 'live-events-webhook-secret';

let akmatori: SpawnedAkmatori;
let source: CreatedAlertSource;
let live: LiveEvents | undefined;

beforeAll(async () => {
  // No LLM is configured: each incident's investigation fails at once with a `run.failed`
  // event, which is what these tests watch for.
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  source = await akmatori.createSource({
    source_type_name: 'alertmanager',
    name: 'live events',
    webhook_secret: SECRET,
    grouping_window_seconds: 0,
  });
}, 120_000);

afterEach(() => live?.stop());

afterAll(async () => {
  await akmatori?.stop();
});

/** Sends one firing alert (an Alertmanager webhook body) and returns its incident's uuid. */
async function openIncident(alertname: string): Promise<string> {
  const response = await fetch(akmatori.webhookUrl(source), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
    body: JSON.stringify({
      version: '4',
      status: 'firing',
      receiver: 'akmatori',
      groupKey: `{}:{alertname="${alertname}"}`,
      groupLabels: { alertname },
      commonLabels: { alertname },
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example',
      alerts: [
        {
          status: 'firing',
          labels: { alertname, severity: 'warning' },
          annotations: { summary: alertname },
          startsAt: new Date().toISOString(),
          fingerprint: alertname,
        },
      ],
    }),
  });
  expect(response.status, await response.text()).toBe(202);
  const { incident } = await akmatori.waitForIncident(source, `the ${alertname} incident`, (i) =>
    i.title.includes(alertname),
  );
  return incident.uuid;
}

/** A session of its own for the socket's tickets (so logging it out leaves the admin's). */
async function logIn(): Promise<string> {
  const response = await fetch(`${akmatori.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'real-senders-admin' }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A LiveEvents on the spawned server that records what it does. */
function connect(token: string, options: Partial<LiveEventsOptions> = {}) {
  const seen = {
    events: [] as LiveEvent[],
    urls: [] as string[],
    statuses: [] as LiveStatus[],
    tickets: 0,
    revoked: false,
  };
  live = new LiveEvents({
    ticket: async () => {
      seen.tickets += 1;
      const response = await fetch(`${akmatori.url}/api/events/ticket`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 201) throw new Error(`ticket: ${response.status}`);
      return ((await response.json()) as { ticket: string }).ticket;
    },
    url: (ticket, after) => {
      const url = `${akmatori.url.replace(/^http/, 'ws')}/ws/events?ticket=${ticket}${after === undefined ? '' : `&after=${after}`}`;
      seen.urls.push(url);
      return url;
    },
    onEvent: (event) => seen.events.push(event),
    onStatus: (status) => seen.statuses.push(status),
    onRevoked: () => (seen.revoked = true),
    WebSocket: WebSocket as unknown as new (url: string) => LiveSocket,
    ...options,
  });
  live.start();
  return seen;
}

/** Waits until an event of `type` about `incident` has arrived. */
function eventFor(seen: { events: LiveEvent[] }, incident: string, type = 'run.failed') {
  return pollUntil(`a ${type} event for incident ${incident}`, () =>
    seen.events.find((event) => event.incident_id === incident && event.type === type),
  );
}

describe('the live event socket client', () => {
  it('connects with a one-time ticket and delivers events as they happen', async () => {
    const seen = connect(akmatori.token);
    await pollUntil('the socket open', () => (live!.status === 'live' ? true : undefined));
    const incident = await openIncident('LiveFirst');
    const event = await eventFor(seen, incident);
    expect(live!.lastEventId).toBe(event.id);
    expect(seen.urls[0]).not.toContain('after=');
    expect(seen.urls[0]).not.toContain(akmatori.token);
  }, 60_000);

  it('after a drop, reconnects with a new ticket and replays what it missed', async () => {
    const seen = connect(akmatori.token, { backoff: () => 3_600_000 });
    await pollUntil('the socket open', () => (live!.status === 'live' ? true : undefined));
    const first = await eventFor(seen, await openIncident('LiveBeforeDrop'));

    live!.drop();
    await pollUntil('reconnecting', () => (live!.status === 'reconnecting' ? true : undefined));
    // Happens while no socket is open: stored, and only the replay can bring it.
    const missed = await openIncident('LiveDuringDrop');
    await pollUntil('the missed investigation over', async () => {
      const incident = (await akmatori.incidents(`source_uuid=${source.uuid}`)).data.find(
        (i) => i.uuid === missed,
      );
      return incident?.status === 'failed' ? true : undefined;
    });
    expect(seen.events.some((event) => event.incident_id === missed)).toBe(false);

    live!.reconnectNow();
    const replayed = await eventFor(seen, missed);
    expect(replayed.id).toBeGreaterThan(first.id);
    expect(seen.tickets).toBe(2);
    expect(seen.urls[1]).toContain(`after=${first.id}`);
    // Run events carry the replay cursor; incident changes (kind 'incident') have no id.
    const ids = seen.events.flatMap((event) => (typeof event.id === 'number' ? [event.id] : []));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size, 'no event twice').toBe(ids.length);
  }, 90_000);

  it('stops, without retrying, when its session is logged out', async () => {
    const token = await logIn();
    const seen = connect(token);
    await pollUntil('the socket open', () => (live!.status === 'live' ? true : undefined));

    await fetch(`${akmatori.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await pollUntil('told the session ended', () => (seen.revoked ? true : undefined));
    expect(live!.status).toBe('stopped');
    expect(seen.tickets).toBe(1);
  }, 60_000);
});
