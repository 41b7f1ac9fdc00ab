/**
 * `@akmatori/runner-codex/testing`: a scripted fake of the model's Responses API, to run the
 * real Codex CLI (directly or through the gateway's model proxy) in tests, and a fake API
 * hub speaking the worker protocol, to test workers.
 */
export { startFakeApi, type FakeApi, type FakeApiOptions } from './fake-api.js';
export {
  lastFunctionCallOutput,
  inputMessages,
  outputText,
  type FunctionCallOutput,
  type InputMessage,
} from './recorded-requests.js';
export {
  assistantMessageItem,
  outputItemDone,
  reasoningItem,
  responseCompleted,
  responseCreated,
  sseFrame,
  type ResponsesStreamEvent,
  type ResponsesUsage,
} from './responses-stream.js';
export {
  defaultTurnUsage,
  error,
  mcp,
  message,
  reasoning,
  shell,
  slow,
  usage,
  type ErrorStep,
  type McpStep,
  type MessageStep,
  type ReasoningStep,
  type Scenario,
  type ScenarioStep,
  type ScenarioTurn,
  type ShellStep,
  type SlowStep,
  type UsageStep,
} from './scenario.js';
export { startScriptedModel, type RecordedRequest, type ScriptedModel } from './scripted-model.js';
