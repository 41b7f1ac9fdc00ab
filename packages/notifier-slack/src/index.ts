/**
 * `@akmatori/notifier-slack`: Akmatori's incidents in Slack. The outbound side: one live root
 * message per incident and milestones in its thread, Markdown to Slack mrkdwn within Slack's
 * limits, and per-channel queues that coalesce edits and honour rate limits. The host (the
 * app) supplies the Web API client, storage and the inbound side (Bolt).
 */
export { ChannelQueues, type ChannelQueueOptions } from './channel-queue.js';
export { formatElapsed, incidentMessage, SlackActions } from './incident-message.js';
export type { ApprovalView, IncidentView, SlackMessage } from './incident-view.js';
export { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './mrkdwn.js';
export {
  slackApiError,
  SlackErrors,
  slackFailureOf,
  type SlackApi,
  type SlackFailure,
} from './slack-api.js';
export {
  SlackIncidentNotifier,
  type RunEventNote,
  type SlackNotifierDeps,
} from './slack-notifier.js';
export type {
  PostedMessage,
  RunView,
  SlackIncidentSource,
  SlackMessageStore,
} from './slack-ports.js';
export { approvalMessage, milestoneMessage, reportMessage } from './thread-messages.js';
