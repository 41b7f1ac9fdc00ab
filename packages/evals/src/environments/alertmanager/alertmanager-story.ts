import { EvalErrors } from '../../errors.js';
import { pollUntil } from '../prometheus/peer-process.js';
import type { AlertmanagerSpec, StorySilence } from './alertmanager-spec.js';

/** An Alertmanager API v2 matcher. */
interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/**
 * Parses `name="value"`, `name!="value"`, `name=~"re"` or `name!~"re"` into an API v2 matcher.
 *
 * @example
 * ```ts
 * silenceMatcher('alertname="DiskFull"'); // { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }
 * ```
 */
export function silenceMatcher(text: string): Matcher {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/.exec(text);
  if (match === null)
    throw EvalErrors.AKM_EVAL_STORY_INVALID({
      problem: 'not a matcher (write name="value")',
      value: text,
    });
  const [, name, operator, value] = match as unknown as [string, string, string, string];
  return { name, value, isRegex: operator.includes('~'), isEqual: !operator.startsWith('!') };
}

const minutes = (count: number): number => count * 60_000;

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw EvalErrors.AKM_EVAL_PEER_REFUSED({
      peer: 'Alertmanager',
      request: `POST ${url}`,
      answer: `HTTP ${response.status} ${text}`,
    });
  return text === '' ? undefined : JSON.parse(text);
}

/** One alert as `GET /api/v2/alerts` lists it. */
export interface ListedAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

/**
 * Lists Alertmanager's alerts (`GET /api/v2/alerts`).
 *
 * @example
 * ```ts
 * const alerts = await listAlerts('http://127.0.0.1:9093');
 * ```
 */
export async function listAlerts(url: string): Promise<ListedAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts`);
  if (!response.ok)
    throw EvalErrors.AKM_EVAL_PEER_REFUSED({
      peer: 'Alertmanager',
      request: `GET ${url}/api/v2/alerts`,
      answer: `HTTP ${response.status}`,
    });
  return (await response.json()) as ListedAlert[];
}

/**
 * Tells Alertmanager at `url` the spec's story: posts its silences, then its alerts (firing
 * ones end a day from now so they outlive the run; resolved ones ended in the past), and waits
 * until every firing alert (and an alert named in `alsoFiring`, sent by Prometheus) is listed
 * and processed (silenced, inhibited or active) and, with inhibit rules, one of them is inhibited.
 * Returns the silence ids in spec order.
 *
 * @example
 * ```ts
 * const silenceIds = await tellAlertmanagerStory(am.url, spec, Date.now());
 * ```
 */
export async function tellAlertmanagerStory(
  url: string,
  spec: AlertmanagerSpec,
  nowMs: number,
  alsoFiring: readonly string[] = [],
): Promise<string[]> {
  const silenceIds: string[] = [];
  for (const silence of spec.silences ?? []) {
    silenceIds.push(await postSilence(url, silence, nowMs));
  }
  const alerts = (spec.alerts ?? []).map((alert) => ({
    labels: alert.labels,
    annotations: alert.annotations ?? {},
    startsAt: new Date(nowMs - minutes(alert.started_minutes_ago ?? 5)).toISOString(),
    endsAt: new Date(
      alert.resolved_minutes_ago === undefined
        ? nowMs + minutes(24 * 60)
        : nowMs - minutes(alert.resolved_minutes_ago),
    ).toISOString(),
    generatorURL: `${url}/#/alerts`,
  }));
  if (alerts.length > 0) await post(`${url}/api/v2/alerts`, alerts);
  const firing = (spec.alerts ?? []).filter((alert) => alert.resolved_minutes_ago === undefined);
  const inhibits = (spec.inhibit_rules ?? []).length > 0;
  await pollUntil('Alertmanager to list the scenario alerts', async () => {
    const listed = await listAlerts(url);
    const all = firing.every((alert) =>
      listed.some(
        (row) =>
          row.labels.alertname === alert.labels.alertname &&
          Object.entries(alert.labels).every(([name, value]) => row.labels[name] === value),
      ),
    );
    const forwarded = alsoFiring.every((name) =>
      listed.some((row) => row.labels.alertname === name),
    );
    const inhibited = !inhibits || listed.some((row) => row.status.inhibitedBy.length > 0);
    // A new alert reads `unprocessed` until Alertmanager has checked its silences and inhibitions.
    const processed = listed.every((row) => row.status.state !== 'unprocessed');
    return all && forwarded && inhibited && processed ? true : undefined;
  });
  return silenceIds;
}

async function postSilence(url: string, silence: StorySilence, nowMs: number): Promise<string> {
  const answer = (await post(`${url}/api/v2/silences`, {
    matchers: silence.matchers.map(silenceMatcher),
    startsAt: new Date(nowMs - minutes(silence.started_minutes_ago ?? 10)).toISOString(),
    endsAt: new Date(nowMs + minutes(silence.ends_in_minutes ?? 120)).toISOString(),
    createdBy: silence.created_by,
    comment: silence.comment,
  })) as { silenceID?: string };
  if (answer.silenceID === undefined)
    throw EvalErrors.AKM_EVAL_PEER_REFUSED({
      peer: 'Alertmanager',
      request: `POST ${url}/api/v2/silences`,
      answer: 'it created a silence without an id',
    });
  return answer.silenceID;
}
