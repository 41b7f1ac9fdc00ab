import {
  defineNotifier,
  emptyObjectSchema,
  type IncidentEvent,
  type Logger,
  type Notifier,
  type RunEvent,
} from '@akmatori/core';
import type { ChannelQueues } from './channel-queue.js';
import { incidentMessage } from './incident-message.js';
import type { SlackMessage } from './incident-view.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { PostedMessage, SlackIncidentSource, SlackMessageStore } from './slack-ports.js';
import { approvalMessage, milestoneMessage, reportMessage } from './thread-messages.js';
import { asArgs, ThreadPosts } from './thread-posts.js';

/** What the Slack notifier needs from its host. */
export interface SlackNotifierDeps {
  readonly source: SlackIncidentSource;
  readonly store: SlackMessageStore;
  readonly queues: ChannelQueues;
  /** False while Slack is not configured or turned off: events are then ignored. */
  readonly enabled: () => boolean;
  readonly log: Logger;
}

/** A stored run event, as the host streams them. */
export interface RunEventNote {
  readonly runId: string;
  readonly incidentId: string;
  readonly event: RunEvent;
}

/** How long a process waits for another one's root message before giving up on an event. */
const ROOT_WAIT_MS = 15_000;

/**
 * Incidents in Slack: one root message per incident, edited in place as it moves, and its
 * thread for milestones only (investigation started, approvals, the report, a failure,
 * resolved and reopened, follow-up answers as they stream). {@link notifier} is its face on
 * the core Notifier contract; run events and approvals reach it through
 * {@link onRunEvent} and {@link onApproval}.
 *
 * @example
 * ```ts
 * const slack = new SlackIncidentNotifier({ source, store, queues, enabled: () => true, log });
 * bus.subscribe((event) => slack.notifier.onIncidentEvent(event, { config: {}, log }));
 * ```
 */
export class SlackIncidentNotifier {
  readonly #deps: SlackNotifierDeps;
  readonly #roots = new Map<string, Promise<PostedMessage | undefined>>();
  readonly #runKinds = new Map<string, string>();
  readonly #posts: ThreadPosts;
  /** The notifier on the core contract (`id: "slack"`). */
  readonly notifier: Notifier;

  constructor(deps: SlackNotifierDeps) {
    this.#deps = deps;
    this.#posts = new ThreadPosts(deps);
    this.notifier = defineNotifier({
      id: 'slack',
      displayName: 'Slack',
      configSchema: emptyObjectSchema,
      onIncidentEvent: (event) => this.onIncidentEvent(event),
    });
  }

  /** Handles an incident event: the root message first, then a milestone if it is one. */
  async onIncidentEvent(event: IncidentEvent): Promise<void> {
    if (!this.#deps.enabled()) return;
    const id = event.incident.uuid;
    const root = await this.#root(id);
    if (root === undefined) return;
    if (event.type !== 'incident.created') this.#redraw(id, root);
    const stamp = event.incident.updatedAt.getTime();
    switch (event.type) {
      case 'incident.status_changed':
        if (
          event.from === 'investigating' &&
          (event.incident.status === 'completed' || event.incident.status === 'failed')
        )
          await this.#runEnded(id);
        else if (event.incident.status === 'cancelled')
          await this.#postOnce(`cancel:${id}:${stamp}`, id, () =>
            milestoneMessage(':octagonal_sign: Investigation cancelled'),
          );
        return;
      case 'incident.state_changed': {
        const by = escapeMrkdwn(event.by.name);
        const text =
          event.incident.state === 'resolved'
            ? `:white_check_mark: Resolved by ${by}`
            : event.incident.state === 'acknowledged'
              ? `:eyes: Acknowledged by ${by}`
              : event.by.kind === 'system'
                ? ':rotating_light: Reopened: an alert fired again'
                : `:rotating_light: Reopened by ${by}`;
        await this.#postOnce(`state:${id}:${stamp}`, id, () => milestoneMessage(text));
        return;
      }
      case 'incident.alerts_resolved':
        await this.#postOnce(`alerts:${id}:${stamp}`, id, () =>
          milestoneMessage(':large_green_circle: All alerts resolved'),
        );
        return;
      default:
        return;
    }
  }

  /** Handles a stored run event: progress redraws the root; a start and follow-up answers go to the thread. */
  async onRunEvent(note: RunEventNote): Promise<void> {
    if (!this.#deps.enabled()) return;
    const root = await this.#root(note.incidentId);
    if (root === undefined) return;
    this.#redraw(note.incidentId, root);
    const kind = await this.#runKind(note.runId);
    if (note.event.type === 'run.started') {
      if (kind === 'follow_up') {
        const run = await this.#deps.source.run(note.runId);
        await this.#postOnce(`answer:${note.runId}`, note.incidentId, () =>
          milestoneMessage(
            `:speech_balloon: _Looking into:_ ${escapeMrkdwn((run?.prompt ?? '').slice(0, 500))}`,
          ),
        );
      } else
        await this.#postOnce(`started:${note.runId}`, note.incidentId, () =>
          milestoneMessage(':mag: Investigation started'),
        );
      return;
    }
    if (note.event.type === 'agent.message' && kind === 'follow_up')
      await this.#posts.edit(
        `answer:${note.runId}`,
        this.#drawAnswer(note.runId, note.incidentId, note.event.text),
      );
  }

  /** Posts a new approval request in its incident's thread, or redraws it once decided. */
  async onApproval(approvalId: string): Promise<void> {
    if (!this.#deps.enabled()) return;
    const approval = await this.#deps.source.approval(approvalId);
    if (approval === undefined) return;
    const key = `approval:${approvalId}`;
    // A decision made while its request was still being posted redraws it once it lands.
    const posted = await this.#posts.posted(key);
    const draw = async (): Promise<SlackMessage> => {
      const current = (await this.#deps.source.approval(approvalId)) ?? approval;
      return approvalMessage(current);
    };
    if (posted !== undefined) {
      await this.#deps.queues.edit(posted.channel, posted.ts, async () => asArgs(await draw()));
      return;
    }
    if (approval.status !== 'pending') return;
    await this.#postOnce(key, approval.incidentId, draw);
  }

  /** The root message of an incident (posting it first if needed). */
  root(incidentId: string): Promise<PostedMessage | undefined> {
    return this.#root(incidentId);
  }

  /** Redraws an incident's root message (coalesced); resolves once the latest state landed. */
  async refresh(incidentId: string): Promise<void> {
    const root = await this.#root(incidentId);
    if (root !== undefined) await this.#redraw(incidentId, root);
  }

  async #runEnded(incidentId: string): Promise<void> {
    const run = await this.#deps.source.lastRun(incidentId);
    if (run === undefined) return;
    const view = await this.#deps.source.incident(incidentId);
    const link = view?.dashboardUrl ?? null;
    if (run.status === 'completed') {
      const markdown = run.reportMarkdown ?? '';
      if (run.kind === 'follow_up') {
        const draw = this.#drawAnswer(run.id, incidentId, markdown);
        if (!(await this.#posts.edit(`answer:${run.id}`, draw)))
          await this.#postOnce(`answer:${run.id}`, incidentId, draw);
        return;
      }
      await this.#postOnce(`end:${run.id}`, incidentId, () =>
        reportMessage('Report', markdown, link),
      );
      return;
    }
    const reason = escapeMrkdwn((run.error ?? 'unknown reason').slice(0, 2500));
    await this.#postOnce(`end:${run.id}`, incidentId, () =>
      milestoneMessage(
        `:x: ${run.kind === 'follow_up' ? 'Follow-up' : 'Investigation'} failed: ${reason}`,
      ),
    );
  }

  /**
   * Draws a follow-up's answer as it stands when the edit is sent: the final answer once the
   * run completed (whichever edit was asked last), else `partial` as in progress.
   */
  #drawAnswer(runId: string, incidentId: string, partial: string): () => Promise<SlackMessage> {
    return async () => {
      const run = await this.#deps.source.run(runId);
      if (run?.status !== 'completed') return reportMessage('Answer (in progress)', partial, null);
      const view = await this.#deps.source.incident(incidentId);
      return reportMessage('Answer', run.reportMarkdown ?? partial, view?.dashboardUrl ?? null);
    };
  }

  #redraw(incidentId: string, root: PostedMessage): Promise<void> {
    return this.#deps.queues.edit(root.channel, root.ts, async () => {
      const view = await this.#deps.source.incident(incidentId);
      return view === undefined ? undefined : asArgs(incidentMessage(view, new Date()));
    });
  }

  async #runKind(runId: string): Promise<string | undefined> {
    let kind = this.#runKinds.get(runId);
    if (kind === undefined) {
      kind = (await this.#deps.source.run(runId))?.kind;
      if (kind !== undefined) this.#runKinds.set(runId, kind);
      if (this.#runKinds.size > 1000)
        this.#runKinds.delete(this.#runKinds.keys().next().value as string);
    }
    return kind;
  }

  #root(incidentId: string): Promise<PostedMessage | undefined> {
    let root = this.#roots.get(incidentId);
    if (root === undefined) {
      root = this.#postRoot(incidentId).catch((error: unknown) => {
        this.#deps.log.warn({ err: error, incident: incidentId }, 'Slack root message not posted');
        return undefined;
      });
      this.#roots.set(incidentId, root);
      void root.then((posted) => {
        if (posted === undefined) this.#roots.delete(incidentId);
      });
      if (this.#roots.size > 5000) this.#roots.delete(this.#roots.keys().next().value as string);
    }
    return root;
  }

  async #postRoot(incidentId: string): Promise<PostedMessage | undefined> {
    const { store, source, queues } = this.#deps;
    const key = `root:${incidentId}`;
    const existing = await store.get(key);
    if (existing !== undefined) return existing;
    const channel = await source.channelFor(incidentId);
    if (channel === undefined) return undefined;
    if (!(await store.claim(key, incidentId, channel))) {
      const deadline = Date.now() + ROOT_WAIT_MS;
      while (Date.now() < deadline) {
        const posted = await store.get(key);
        if (posted !== undefined) return posted;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return undefined;
    }
    try {
      const answer = await queues.post(channel, async () => {
        const view = await source.incident(incidentId);
        if (view === undefined) throw new Error(`incident ${incidentId} not found`);
        return asArgs(incidentMessage(view, new Date()));
      });
      const ts = String(answer.ts);
      await store.save(key, ts);
      return { channel: String(answer.channel ?? channel), ts };
    } catch (error) {
      await store.release(key);
      throw error;
    }
  }

  /** Posts a thread message once per key (across replicas), under the incident's root. */
  async #postOnce(
    key: string,
    incidentId: string,
    draw: () => SlackMessage | Promise<SlackMessage>,
  ): Promise<void> {
    const root = await this.#root(incidentId);
    if (root !== undefined) await this.#posts.postOnce(key, incidentId, root, draw);
  }
}
