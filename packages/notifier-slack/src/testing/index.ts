/**
 * `@akmatori/notifier-slack/testing`: a faithful fake Slack on loopback (the Web API methods
 * Akmatori uses, Socket Mode, signed HTTP requests, injectable rate limits) that the real
 * `@slack/bolt` connects to.
 */
export {
  startFakeSlack,
  type Delivery,
  type FakeSlack,
  type FakeSlackOptions,
} from './fake-slack.js';
export { slackSignature, type ButtonClick } from './fake-slack-payloads.js';
export type {
  FakeSlackCall,
  FakeSlackEphemeral,
  FakeSlackMessage,
  FakeSlackUser,
} from './fake-slack-state.js';
export type { EnvelopeAck } from './fake-slack-socket.js';
