import type { RunContext, RunGateway, RunTask } from '@akmatori/core';
import { CodexRunnerErrors } from '../errors.js';
import type { AssignedFile, RunAssignment } from './worker-protocol.js';

/**
 * The worker protocol's {@link RunAssignment} for a task and its gateway: what the API's
 * `codex` runner sends a worker. The assignment carries the run token, the only credential a
 * worker ever holds. A follow-up needs the session's `state` (its Codex session files).
 */
export function assignmentOfTask(task: RunTask, gateway: RunGateway): RunAssignment {
  if (gateway.model === undefined) throw CodexRunnerErrors.AKM_CODEX_MODEL_NOT_SET();
  if (task.resume !== undefined && task.resume.state === undefined)
    throw CodexRunnerErrors.AKM_CODEX_SESSION_NOT_RESUMABLE({ sessionId: task.resume.id });
  return {
    runId: task.runId,
    incidentId: task.incidentId,
    prompt: task.prompt,
    agentsMd: task.instructions,
    gatewayUrl: gateway.url,
    runToken: gateway.runToken,
    model: gateway.model,
    ...(gateway.reasoningEffort === undefined ? {} : { reasoningEffort: gateway.reasoningEffort }),
    deadlineMs: task.deadlineMs,
    skills: task.skills.map((skill) => ({ name: skill.name, files: skill.files.map(toAssigned) })),
    contextFiles: task.contextFiles.map(toAssigned),
    ...(task.resume === undefined
      ? {}
      : { resume: { sessionId: task.resume.id, archive: { gzipBase64: task.resume.state! } } }),
  };
}

/** The task and gateway an assignment carries, as the worker starts the Codex runner with them. */
export function taskOfAssignment(assignment: RunAssignment): {
  task: RunTask;
  gateway: RunContext['gateway'];
} {
  const contextFiles = assignment.contextFiles.map(fromAssigned);
  const incident = contextFiles.find((file) => file.path === 'incident/incident.md');
  const gatewayUrl = assignment.gatewayUrl.replace(/\/+$/, '');
  return {
    task: {
      runId: assignment.runId,
      incidentId: assignment.incidentId,
      prompt: assignment.prompt,
      instructions: assignment.agentsMd,
      context: incident === undefined ? '' : Buffer.from(incident.content).toString('utf8'),
      skills: assignment.skills.map((skill) => ({
        name: skill.name,
        files: skill.files.map(fromAssigned),
      })),
      contextFiles,
      deadlineMs: assignment.deadlineMs,
      ...(assignment.resume === undefined
        ? {}
        : {
            resume: {
              id: assignment.resume.sessionId,
              state: assignment.resume.archive.gzipBase64,
            },
          }),
    },
    gateway: {
      url: assignment.gatewayUrl,
      mcpUrl: `${gatewayUrl}/mcp`,
      modelUrl: `${gatewayUrl}/v1`,
      runToken: assignment.runToken,
      model: assignment.model,
      ...(assignment.reasoningEffort === undefined
        ? {}
        : { reasoningEffort: assignment.reasoningEffort }),
    },
  };
}

const toAssigned = (file: { path: string; content: Uint8Array }): AssignedFile => ({
  path: file.path,
  contentBase64: Buffer.from(file.content).toString('base64'),
});

const fromAssigned = (file: AssignedFile): { path: string; content: Uint8Array } => ({
  path: file.path,
  content: Buffer.from(file.contentBase64, 'base64'),
});
