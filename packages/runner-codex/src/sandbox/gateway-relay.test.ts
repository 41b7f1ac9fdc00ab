import { existsSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { silentLogger } from '@akmatori/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openGatewayRelay, type GatewayRelay } from './gateway-relay.js';

let relay: GatewayRelay | undefined;
let upstream: Server | undefined;

afterEach(() => {
  relay?.close();
  upstream?.close();
});

describe('the relay from the sandbox socket to the gateway', () => {
  it('carries bytes both ways to the gateway’s TCP port, from a private directory', async () => {
    upstream = createServer((socket) => socket.on('data', (data) => socket.end(`echo:${data}`)));
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    relay = openGatewayRelay(
      { host: '127.0.0.1', port, listenAddress: '127.0.0.1', hostName: undefined },
      silentLogger(),
    );
    expect(existsSync(relay.socketPath), 'the socket exists once the relay returns').toBe(true);
    expect(statSync(relay.dir).mode & 0o777).toBe(0o700);

    const answer = await new Promise<string>((resolve, reject) => {
      const client = connect(relay!.socketPath, () => client.write('hello'));
      let text = '';
      client.on('data', (data) => (text += String(data)));
      client.on('end', () => resolve(text));
      client.on('error', reject);
    });
    expect(answer).toBe('echo:hello');
  });

  it('removes its directory when closed, and closing twice is harmless', () => {
    relay = openGatewayRelay(
      { host: '127.0.0.1', port: 1, listenAddress: '127.0.0.1', hostName: undefined },
      silentLogger(),
    );
    relay.close();
    relay.close();
    expect(existsSync(relay.dir)).toBe(false);
  });
});
