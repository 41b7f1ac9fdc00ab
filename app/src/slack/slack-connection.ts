import type { Logger } from '@akmatori/core';
import {
  ChannelQueues,
  slackFailureOf,
  SlackIncidentNotifier,
  milestoneMessage,
  type SlackApi,
} from '@akmatori/notifier-slack';
import type { App } from '@slack/bolt';
import { AppErrors } from '../errors.js';
import type { IncidentEventBus } from '../incidents/incident-event-bus.js';
import type { RunEventStream } from '../runs/run-event-stream.js';
import { SlackApprovalWatch } from './slack-approval-watch.js';
import { SlackHttpReceiver } from './slack-http-receiver.js';
import type { SlackIncidentData } from './slack-incident-source.js';
import { registerSlackInbound, type SlackInboundDeps } from './slack-inbound.js';
import type { SlackDatabaseStore } from './slack-message-store.js';
import type { ResolvedSlackSettings, SlackSettings } from './slack-settings.js';
import { boltLogger, slackApiOf } from './slack-web-api.js';

/** What the Slack connection needs. */
export interface SlackConnectionDeps extends Omit<SlackInboundDeps, 'notifier' | 'log'> {
  readonly settings: SlackSettings;
  readonly data: SlackIncidentData;
  readonly store: SlackDatabaseStore;
  readonly bus: IncidentEventBus;
  readonly stream: RunEventStream;
  readonly log: Logger;
  /** At most one edit of a message per this many milliseconds (default 3000). */
  readonly editIntervalMs?: number;
  /**
   * How often the stored settings are compared with those applied, so that a change made
   * through another replica applies here too (default 15000 ms).
   */
  readonly settingsRecheckMs?: number;
}

/** How often, by default, the settings are looked at for a change made elsewhere. */
const SETTINGS_RECHECK_MS = 15_000;

/** A running Bolt app and what it was started with. */
interface Running {
  readonly app: App;
  readonly api: SlackApi;
  readonly settings: ResolvedSlackSettings;
  readonly receiver: SlackHttpReceiver | undefined;
}

/**
 * Akmatori's Slack app: starts Bolt from the stored settings (Socket Mode, or HTTP mode
 * served at `POST /slack/events`), restarts it when the settings change, and delivers
 * incident events, run events and approvals to the {@link SlackIncidentNotifier}.
 */
export class SlackConnection {
  readonly #deps: SlackConnectionDeps;
  readonly #queues: ChannelQueues;
  readonly #watch: SlackApprovalWatch;
  /** The outbound side, on the core Notifier contract. */
  readonly notifier: SlackIncidentNotifier;
  #running: Running | undefined;
  #change: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void)[] = [];
  /** The {@link SlackSettings.version} applied, undefined until a start succeeded. */
  #applied: string | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;

  constructor(deps: SlackConnectionDeps) {
    this.#deps = deps;
    const log = deps.log;
    this.#queues = new ChannelQueues(() => this.#running?.api, {
      log,
      ...(deps.editIntervalMs === undefined ? {} : { editIntervalMs: deps.editIntervalMs }),
    });
    this.notifier = new SlackIncidentNotifier({
      source: deps.data,
      store: deps.store,
      queues: this.#queues,
      enabled: () => this.#running !== undefined,
      log,
    });
    this.#watch = new SlackApprovalWatch({
      knex: deps.knex,
      notifier: this.notifier,
      log,
      enabled: () => this.#running !== undefined,
    });
  }

  /** Starts delivering events, and Bolt when Slack is enabled. */
  async start(): Promise<void> {
    const context = { config: {}, log: this.#deps.log };
    this.#unsubscribe = [
      this.#deps.bus.subscribe((event) => this.notifier.notifier.onIncidentEvent(event, context)),
      this.#deps.stream.subscribe((stored) => {
        void this.notifier
          .onRunEvent({ runId: stored.runId, incidentId: stored.incidentId, event: stored.event })
          .catch((error: unknown) =>
            this.#deps.log.warn({ err: error }, 'Slack run event not delivered'),
          );
      }),
    ];
    this.#watch.start();
    await this.reload();
    this.#recheckTimer = setInterval(() => {
      void this.recheck().catch((error: unknown) =>
        this.#deps.log.warn({ err: error }, 'Slack settings could not be checked'),
      );
    }, this.#deps.settingsRecheckMs ?? SETTINGS_RECHECK_MS);
    this.#recheckTimer.unref();
  }

  /**
   * Applies the stored settings if they changed since they were last applied (by another
   * replica, say), or if the last start failed. True when it reloaded. Runs periodically.
   */
  async recheck(): Promise<boolean> {
    await this.#change;
    if ((await this.#deps.settings.version()) === this.#applied) return false;
    this.#deps.log.info('Slack settings changed (or the last start failed): applying them');
    await this.reload();
    return true;
  }

  /** Applies the stored settings: stops the running Bolt app, starts one if enabled. */
  reload(): Promise<void> {
    this.#change = this.#change
      .then(() => this.#reload())
      .catch((error: unknown) => {
        this.#deps.log.error({ err: error }, 'Slack connection failed to start');
      });
    return this.#change;
  }

  async #reload(): Promise<void> {
    await this.#stopBolt();
    this.#applied = undefined;
    // Read before the settings: a change made meanwhile shows at the next check.
    const version = await this.#deps.settings.version();
    const settings = await this.#deps.settings.resolve();
    if (!settings.enabled || settings.botToken === undefined) {
      this.#applied = version;
      return;
    }
    const log = this.#deps.log;
    const clientOptions = {
      slackApiUrl: settings.api_url,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1000 },
    };
    const receiver =
      settings.mode === 'http' && settings.signingSecret !== undefined
        ? new SlackHttpReceiver(settings.signingSecret, log)
        : undefined;
    // Bolt (with Express, axios and the Web API client, ~1.5 MB of modules) loads only when
    // Slack is enabled, not in every start.
    const { App } = await import('@slack/bolt');
    const app =
      receiver !== undefined
        ? new App({ token: settings.botToken, receiver, logger: boltLogger(log), clientOptions })
        : new App({
            token: settings.botToken,
            appToken: settings.appToken ?? '',
            socketMode: true,
            logger: boltLogger(log),
            clientOptions,
          });
    const api = slackApiOf(app.client);
    registerSlackInbound(app, api, { ...this.#deps, notifier: this.notifier });
    app.error(async (error) => {
      log.warn({ err: error }, 'Slack listener failed');
    });
    try {
      await app.start();
    } catch (error) {
      // Stop what did start (a socket retrying), so the next attempt starts from nothing.
      await app.stop().catch(() => undefined);
      throw error;
    }
    this.#running = { app, api, settings, receiver };
    this.#applied = version;
    log.info({ mode: settings.mode }, 'Slack connected');
  }

  async #stopBolt(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    if (running === undefined) return;
    await running.app
      .stop()
      .catch((error: unknown) => this.#deps.log.warn({ err: error }, 'Slack stop failed'));
  }

  /** The default channel of the running connection. */
  get alertsChannel(): string | null {
    return this.#running?.settings.alerts_channel ?? null;
  }

  /** The HTTP-mode receiver, when Slack runs in HTTP mode. */
  get httpReceiver(): SlackHttpReceiver | undefined {
    return this.#running?.receiver;
  }

  /** Posts a test message to the alerts channel; throws `AKM_SLACK_ERROR` with Slack's error. */
  async test(): Promise<{ channel: string; ts: string }> {
    await this.#change;
    const running = this.#running;
    if (running === undefined)
      throw AppErrors.AKM_SLACK_NOT_CONFIGURED({
        reason: 'Slack is not enabled or did not connect; see the server log',
      });
    const channel = running.settings.alerts_channel;
    if (channel === null)
      throw AppErrors.AKM_SLACK_NOT_CONFIGURED({ reason: 'alerts_channel is not set' });
    try {
      const message = milestoneMessage(':wave: Akmatori is connected to this channel.');
      const answer = await running.api.call('chat.postMessage', {
        channel,
        text: message.text,
        blocks: message.blocks,
      });
      return { channel, ts: String(answer.ts) };
    } catch (error) {
      const code = slackFailureOf(error)?.error ?? 'request_failed';
      throw AppErrors.AKM_SLACK_ERROR({ error: code }, { details: { slack_error: code } });
    }
  }

  /** Resolves once every queued Slack message and edit has been sent. */
  settled(): Promise<void> {
    return this.#queues.settled();
  }

  /** Stops Bolt, the queues and the subscriptions. */
  async stop(): Promise<void> {
    clearInterval(this.#recheckTimer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#watch.stop();
    await this.#change;
    this.#queues.stop();
    await this.#stopBolt();
  }
}
