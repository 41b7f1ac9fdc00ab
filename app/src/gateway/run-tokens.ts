import { randomUUID } from 'node:crypto';
import type { Clock, PluginHost } from '@akmatori/core';
import { RunTokenSigner, mcpToolName, type RunTokenKeys, type ToolGrant } from '@akmatori/gateway';
import { AppErrors } from '../errors.js';
import type { ToolInstanceRepository } from '../tools/tool-instance-repository.js';

/** The incident id a token minted for debugging names: it belongs to no incident. */
export const NO_INCIDENT = '00000000-0000-0000-0000-000000000000';

/** A token minted for an operator, with what it grants. */
export interface MintedRunToken {
  readonly token: string;
  readonly tokenId: string;
  readonly runId: string;
  readonly expiresAt: Date;
  /** The MCP names of the tools it grants. */
  readonly tools: readonly string[];
}

/**
 * Issues run tokens. Runs get theirs from the dispatcher; such a token dies with its run. An
 * operator can mint one for a set of tool instances (every tool of each) to point an MCP client
 * at the gateway: it belongs to no run (an `operator` token, never granting the model) and
 * lives until its expiry.
 */
export class RunTokens {
  readonly #signer: RunTokenSigner;
  readonly #instances: ToolInstanceRepository;
  readonly #plugins: Pick<PluginHost, 'toolProvider'>;

  private constructor(
    signer: RunTokenSigner,
    instances: ToolInstanceRepository,
    plugins: Pick<PluginHost, 'toolProvider'>,
  ) {
    this.#signer = signer;
    this.#instances = instances;
    this.#plugins = plugins;
  }

  /** Run tokens signed with `keys`, expiring by `clock`. */
  static async open(options: {
    keys: RunTokenKeys;
    clock: Clock;
    instances: ToolInstanceRepository;
    plugins: Pick<PluginHost, 'toolProvider'>;
  }): Promise<RunTokens> {
    const signer = await RunTokenSigner.fromJwk(options.keys.privateJwk, () => options.clock.now());
    return new RunTokens(signer, options.instances, options.plugins);
  }

  /** Signs a token for a run. */
  sign(request: {
    runId: string;
    incidentId: string;
    grants: readonly ToolGrant[];
    model: boolean;
    ttlSeconds: number;
    operator?: boolean;
  }): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
    return this.#signer.sign(request);
  }

  /**
   * Mints a token granting every tool of the given tool instances, and no model access.
   * Throws `AKM_NOT_FOUND` for an unknown instance and `AKM_VALIDATION` for a disabled one.
   */
  async mintForInstances(request: {
    toolInstanceIds: readonly string[];
    ttlSeconds: number;
    incidentId?: string;
  }): Promise<MintedRunToken> {
    const grants: ToolGrant[] = [];
    const tools: string[] = [];
    for (const id of new Set(request.toolInstanceIds)) {
      const instance = await this.#instances.get(id);
      if (instance === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'tool instance', id });
      if (!instance.enabled)
        throw AppErrors.AKM_VALIDATION({ reason: `tool instance ${instance.name} is disabled` });
      const names = (this.#plugins.toolProvider(instance.toolType)?.tools ?? []).map((t) => t.name);
      grants.push({ instanceId: id, tools: names });
      tools.push(...names.map((name) => mcpToolName(instance.name, name)));
    }
    const runId = `manual-${randomUUID()}`;
    const signed = await this.sign({
      runId,
      incidentId: request.incidentId ?? NO_INCIDENT,
      grants,
      model: false,
      ttlSeconds: request.ttlSeconds,
      operator: true,
    });
    return { ...signed, runId, tools };
  }
}
