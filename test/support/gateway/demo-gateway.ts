import { PluginHost, definePlugin, silentLogger, type Logger } from '@akmatori/core';
import { Gateway, RunTokenSigner, createRunTokenKeys, type RunTokenKeys } from '@akmatori/gateway';
import { demoTools } from './demo-tools.js';
import { MemoryGatewayStore } from './memory-store.js';

/** A real gateway on 127.0.0.1 with the demo tool provider and an in-memory store. */
export interface DemoGateway {
  readonly url: string;
  readonly keys: RunTokenKeys;
  readonly signer: RunTokenSigner;
  readonly store: MemoryGatewayStore;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

/**
 * Starts a gateway serving the demo provider's tools on the given instances, each holding
 * `secret` as its credential (for the scrubbing checks), with a fresh run token key pair.
 *
 * @example
 * ```ts
 * const demo = await startDemoGateway({ secret: 's3cret', instances: [{ id, name: 'Alpha box' }] });
 * ```
 */
export async function startDemoGateway(options: {
  secret: string;
  instances: readonly { id: string; name: string }[];
  /** Where the gateway and its tools log; default silent. */
  log?: Logger;
}): Promise<DemoGateway> {
  const keys = await createRunTokenKeys();
  const signer = await RunTokenSigner.fromJwk(keys.privateJwk);
  const store = new MemoryGatewayStore(keys.publicJwk);
  for (const { id, name } of options.instances) {
    store.instances.set(id, {
      id,
      name,
      toolType: 'demo',
      enabled: true,
      credentials: { token: options.secret, label: name },
      secretValues: [options.secret],
    });
  }
  const plugins = new PluginHost();
  plugins.register(definePlugin({ name: 'demo', tools: [demoTools] }));
  const gateway = new Gateway({
    store,
    plugins,
    log: options.log ?? silentLogger(),
    version: '0.0.0-test',
    allowedHosts: ['127.0.0.1'],
  });
  const url = await gateway.listen(0, '127.0.0.1');
  return { url, keys, signer, store, gateway, close: () => gateway.close() };
}
