import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { codexExecArguments } from './codex-arguments.js';
import { renderCodexConfig } from './codex-config.js';

describe('renderCodexConfig', () => {
  it('points the model provider and the MCP server at the gateway, keyed by the run token variable', () => {
    const config = parse(
      renderCodexConfig({
        gatewayUrl: 'http://gateway:8080/',
        model: 'gpt-5.5',
        reasoningEffort: 'high',
      }),
    );
    expect(config).toMatchObject({
      model: 'gpt-5.5',
      model_provider: 'akmatori',
      model_reasoning_effort: 'high',
      approval_policy: 'never',
      sandbox_mode: 'workspace-write',
      web_search: 'disabled',
      analytics: { enabled: false },
      shell_environment_policy: { inherit: 'all', exclude: ['AKMATORI_*'] },
      sandbox_workspace_write: { network_access: false },
      model_providers: {
        akmatori: {
          base_url: 'http://gateway:8080/v1',
          wire_api: 'responses',
          env_key: 'AKMATORI_RUN_TOKEN',
          request_max_retries: 4,
          stream_max_retries: 5,
        },
      },
      mcp_servers: {
        akmatori: {
          url: 'http://gateway:8080/mcp',
          bearer_token_env_var: 'AKMATORI_RUN_TOKEN',
          tool_timeout_sec: 900,
          startup_timeout_sec: 30,
          default_tools_approval_mode: 'approve',
          required: true,
        },
      },
    });
  });

  it('escapes values rather than letting them add settings', () => {
    const model = 'gpt"\nsandbox_mode = "danger-full-access';
    const config = parse(renderCodexConfig({ gatewayUrl: 'http://g', model }));
    expect(config.model).toBe(model);
    expect(config.sandbox_mode).toBe('workspace-write');
  });

  it('leaves the reasoning effort to Codex when none is given', () => {
    expect(parse(renderCodexConfig({ gatewayUrl: 'http://g', model: 'm' }))).not.toHaveProperty(
      'model_reasoning_effort',
    );
  });
});

describe('codexExecArguments', () => {
  it('runs exec with JSON events in the workspace, the prompt after --', () => {
    expect(
      codexExecArguments({
        workspaceDir: '/r/ws',
        prompt: '-rm everything',
        configOverrides: ['a=1'],
      }),
    ).toEqual([
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--strict-config',
      '-C',
      '/r/ws',
      '-c',
      'a=1',
      '--',
      '-rm everything',
    ]);
  });

  it('resumes a thread by id for a follow-up', () => {
    expect(
      codexExecArguments({ workspaceDir: '/r/ws', prompt: 'and now?', resumeSessionId: '01a2-b3' }),
    ).toEqual([
      'exec',
      'resume',
      '01a2-b3',
      '--json',
      '--skip-git-repo-check',
      '--strict-config',
      '--',
      'and now?',
    ]);
  });

  it('refuses a session id that could be read as a flag', () => {
    expect(() =>
      codexExecArguments({ workspaceDir: '/r', prompt: 'x', resumeSessionId: '--last' }),
    ).toThrow(/invalid session id/);
  });
});
