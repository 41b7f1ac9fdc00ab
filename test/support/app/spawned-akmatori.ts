import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { pollUntil } from '../peers/process.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const ADMIN_PASSWORD = 'real-senders-admin';

/** An alert source as `POST /api/alert-sources` answers it. */
export interface CreatedAlertSource {
  readonly uuid: string;
  readonly source_type_name: string;
  /** What the API reports as the webhook URL (built from the configured public URL). */
  readonly webhook_url: string;
}

/** One incident of `GET /api/incidents`. */
export interface IncidentView {
  readonly uuid: string;
  readonly title: string;
  readonly status: string;
  readonly severity: string;
  readonly source_type: string;
  readonly source_uuid: string | null;
  readonly alert_count: number;
  readonly firing_count: number;
  readonly alerts_resolved: boolean;
}

/** One alert of `GET /api/incidents/{uuid}/alerts`. */
export interface IncidentAlertView {
  readonly id: number;
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly name: string;
  readonly severity: string;
  readonly raw_severity: string | null;
  readonly host: string | null;
  readonly service: string | null;
  readonly summary: string | null;
  readonly description: string | null;
  readonly runbook_url: string | null;
  readonly source_url: string | null;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly starts_at: string | null;
  readonly ends_at: string | null;
  readonly count: number;
}

/** `GET /api/incidents` as the dashboard reads it. */
export interface IncidentPage {
  readonly data: IncidentView[];
  readonly pagination: { readonly total: number };
}

/** A spawned `akmatori serve` on an embedded database, driven through its HTTP API as admin. */
export interface SpawnedAkmatori {
  /** Base URL it listens on, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Process id of the server, the one {@link SpawnedAkmatori.stop} signals. */
  readonly pid: number;
  /** Its data directory (`AKMATORI_DATA_DIR`); run workspaces are in `<dataDir>-runs`. */
  readonly dataDir: string;
  /** Creates an alert source (`POST /api/alert-sources`); throws unless it answers 201. */
  createSource(body: Record<string, unknown>): Promise<CreatedAlertSource>;
  /** The URL senders post to for `source`, on the port the server really listens on. */
  webhookUrl(source: CreatedAlertSource): string;
  /** `GET /api/incidents` with an optional query string such as `source_uuid=…`. */
  incidents(query?: string): Promise<IncidentPage>;
  /** `GET /api/incidents/{uuid}/alerts`. */
  alertsOf(incident: IncidentView): Promise<IncidentAlertView[]>;
  /**
   * Polls until `source` has an incident `accept` returns true for, and resolves with it and
   * its alerts; fails after `timeoutMs` saying what it waited for and what it last saw.
   */
  waitForIncident(
    source: CreatedAlertSource,
    what: string,
    accept: (incident: IncidentView, alerts: IncidentAlertView[]) => boolean,
    timeoutMs?: number,
  ): Promise<{ incident: IncidentView; alerts: IncidentAlertView[] }>;
  /** Calls the API as admin; throws unless it answers `expect` (default 200). */
  api<T = unknown>(method: string, route: string, body?: unknown, expect?: number): Promise<T>;
  /** Makes `model` (a scripted model on loopback) the LLM provider, as `scripted-model`. */
  useModel(model: { readonly baseUrl: string }): Promise<void>;
  /** Resolves once a worker (the embedded one) is connected. */
  workerConnected(): Promise<void>;
  /** The admin's login token. */
  readonly token: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** Sends SIGTERM (SIGKILL after 10 s), waits for the exit and deletes the data dir. */
  stop(): Promise<void>;
}

/**
 * Starts the built `akmatori serve` on a free 127.0.0.1 port with its embedded database in
 * a temp dir, and logs in as admin. Needs `npx tsc -b tsconfig.build.json` first.
 *
 * @example
 * ```ts
 * const akmatori = await startAkmatori();
 * const source = await akmatori.createSource({ source_type_name: 'alertmanager', name: 'am' });
 * await akmatori.stop();
 * ```
 */
export async function startAkmatori(env: Record<string, string> = {}): Promise<SpawnedAkmatori> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-real-senders-'));
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      AKMATORI_DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
      LOG_LEVEL: 'info',
      ...env,
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { child } = server;
  const pid = child.pid!;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // ChildProcess.kill signals this pid only, and ignores a process that has just exited.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await server.exited();
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-runs`, { recursive: true, force: true });
  };

  let headers: Record<string, string>;
  let token: string;
  try {
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    if (login.status !== 200) {
      throw new Error(`admin login answered ${login.status}: ${await login.text()}`);
    }
    ({ token } = (await login.json()) as { token: string });
    headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  } catch (error) {
    await stop();
    throw error;
  }

  const getJson = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${server.url}${route}`, { headers });
    if (response.status !== 200) {
      throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as T;
  };
  const incidents = (query = ''): Promise<IncidentPage> =>
    getJson(`/api/incidents${query === '' ? '' : `?${query}`}`);
  const alertsOf = async (incident: IncidentView): Promise<IncidentAlertView[]> =>
    (await getJson<{ data: IncidentAlertView[] }>(`/api/incidents/${incident.uuid}/alerts`)).data;

  async function api<T>(method: string, route: string, body?: unknown, expect = 200): Promise<T> {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: body === undefined ? { authorization: headers.authorization ?? '' } : headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expect)
      throw new Error(`${method} ${route} answered ${response.status}, not ${expect}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  return {
    url: server.url,
    pid,
    dataDir,
    async createSource(body) {
      const response = await fetch(`${server.url}/api/alert-sources`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 201) {
        throw new Error(
          `creating the alert source answered ${response.status}: ${await response.text()}`,
        );
      }
      return (await response.json()) as CreatedAlertSource;
    },
    webhookUrl: (source) => `${server.url}/webhook/alert/${source.uuid}`,
    incidents,
    alertsOf,
    async waitForIncident(source, what, accept, timeoutMs = 20_000) {
      let seen = 'nothing';
      try {
        return await pollUntil(
          what,
          async () => {
            const page = await incidents(`source_uuid=${source.uuid}`);
            const alertsByIncident = await Promise.all(
              page.data.map((incident) => alertsOf(incident)),
            );
            // The incidents again, read after their alerts: the engine commits an incident and
            // its alerts together, so a batch applied between the two reads would otherwise
            // show new alerts beside the incident as it was before them.
            const fresh = new Map(
              (await incidents(`source_uuid=${source.uuid}`)).data.map((incident) => [
                incident.uuid,
                incident,
              ]),
            );
            const candidates = page.data.map((incident, index) => ({
              incident: fresh.get(incident.uuid) ?? incident,
              alerts: alertsByIncident[index] ?? [],
            }));
            seen = JSON.stringify(candidates, null, 2);
            return candidates.find(({ incident, alerts }) => accept(incident, alerts));
          },
          { timeoutMs, intervalMs: 200 },
        );
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\nincidents of source ${source.uuid} last seen: ${seen}\n` +
            `Akmatori's log (tail):\n${server.output().slice(-4000)}`,
        );
      }
    },
    async useModel(model) {
      await api('PUT', '/api/settings/llm', {
        provider: 'openai-compatible',
        base_url: model.baseUrl,
        api_key: 'sk-scripted-provider-key',
        model: 'scripted-model',
      });
    },
    async workerConnected() {
      await pollUntil('a worker connected', async () =>
        (await api<{ data: unknown[] }>('GET', '/api/workers')).data.length > 0 ? true : undefined,
      );
    },
    api,
    token,
    output: () => server.output(),
    stop,
  };
}
