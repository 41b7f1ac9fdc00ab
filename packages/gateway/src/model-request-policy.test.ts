import { describe, expect, it } from 'vitest';
import { applyRequestPolicy } from './model-request-policy.js';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const parsed = (outcome: ReturnType<typeof applyRequestPolicy>): Record<string, unknown> => {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${outcome.reason}`);
  return JSON.parse(outcome.body.toString('utf8')) as Record<string, unknown>;
};

/** The tools Codex 0.169 sends for its own local work, one of each kind. */
const codexTools = [
  { type: 'function', name: 'exec_command', parameters: { type: 'object' } },
  { type: 'function', name: 'mcp__akmatori__ssh_execute_command', parameters: {} },
  { type: 'custom', name: 'apply_patch', format: { type: 'grammar' } },
  { type: 'local_shell' },
  { type: 'namespace', name: 'mcp__akmatori__', tools: [{ type: 'function', name: 'ssh' }] },
  { type: 'tool_search' },
];

/** Every tool the provider would run on its side, as the Responses API names them. */
const hostedTools = [
  { type: 'web_search' },
  { type: 'web_search_preview' },
  { type: 'web_search_2025_08_26' },
  { type: 'file_search', vector_store_ids: ['vs_1'] },
  { type: 'mcp', server_label: 'x', server_url: 'https://mcp.example.com' },
  { type: 'code_interpreter', container: { type: 'auto' } },
  { type: 'computer_use_preview', display_width: 1024 },
  { type: 'image_generation' },
];

describe('model request policy: pinned model, no hosted tools', () => {
  it('leaves a request that already complies byte for byte as it was', () => {
    const bytes = Buffer.from('{"model":"gpt-5",  "tools":[{"type":"function","name":"f"}]}');
    const outcome = applyRequestPolicy(bytes, 'gpt-5');
    expect(outcome).toEqual({ kind: 'ok', body: bytes, strippedTools: [] });
  });

  it('rewrites a request for another model to the configured model', () => {
    const outcome = applyRequestPolicy(body({ model: 'o3-pro', input: [] }), 'gpt-5');
    expect(parsed(outcome)).toEqual({ model: 'gpt-5', input: [] });
    expect(outcome).toMatchObject({ modelReplaced: 'o3-pro' });
  });

  it('sets the model when the request names none', () => {
    expect(parsed(applyRequestPolicy(body({ input: [] }), 'gpt-5')).model).toBe('gpt-5');
  });

  it('keeps the model as sent when no model is configured', () => {
    const bytes = body({ model: 'whatever', input: [] });
    expect(applyRequestPolicy(bytes, undefined)).toMatchObject({ body: bytes });
  });

  it("removes every hosted tool and keeps Codex's own tools in order", () => {
    const outcome = applyRequestPolicy(
      body({ model: 'gpt-5', tools: [hostedTools[0], ...codexTools, ...hostedTools.slice(1)] }),
      'gpt-5',
    );
    expect(parsed(outcome).tools).toEqual(codexTools);
    expect(outcome).toMatchObject({ strippedTools: hostedTools.map((tool) => tool.type) });
  });

  it('removes tools of types it does not know, and malformed entries', () => {
    const outcome = applyRequestPolicy(
      body({ tools: [{ type: 'brand_new_hosted_tool' }, 'web_search', { name: 'f' }] }),
      undefined,
    );
    expect(parsed(outcome).tools).toEqual([]);
    expect(outcome).toMatchObject({
      strippedTools: ['brand_new_hosted_tool', 'unknown', 'unknown'],
    });
  });

  it('turns a tool_choice that forces a hosted tool into auto, and keeps one that forces a function', () => {
    const forced = applyRequestPolicy(
      body({ tools: [{ type: 'web_search' }], tool_choice: { type: 'web_search' } }),
      undefined,
    );
    expect(parsed(forced).tool_choice).toBe('auto');
    const allowed = applyRequestPolicy(
      body({ tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'mcp' }] } }),
      undefined,
    );
    expect(parsed(allowed).tool_choice).toBe('auto');
    const fn = { type: 'function', name: 'exec_command' };
    expect(
      parsed(applyRequestPolicy(body({ model: 'a', tool_choice: fn }), 'b')).tool_choice,
    ).toEqual(fn);
  });

  it('refuses a body that is not a JSON object, or whose tools are not a list', () => {
    expect(applyRequestPolicy(Buffer.from('{"model":'), 'gpt-5')).toMatchObject({
      kind: 'invalid',
    });
    expect(applyRequestPolicy(Buffer.from('[1,2]'), 'gpt-5')).toMatchObject({ kind: 'invalid' });
    expect(applyRequestPolicy(body({ tools: { type: 'mcp' } }), 'gpt-5')).toMatchObject({
      kind: 'invalid',
    });
  });
});
