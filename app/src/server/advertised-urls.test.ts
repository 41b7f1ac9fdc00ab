import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AdvertisedUrls, withBoundPort } from './advertised-urls.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0))
    await new Promise<void>((done) => server.close(() => done()));
});

function server(): Server {
  const made = createServer();
  servers.push(made);
  return made;
}

async function listening(on: Server): Promise<number> {
  await new Promise<void>((done) => on.listen(0, '127.0.0.1', done));
  return (on.address() as { port: number }).port;
}

const config = { publicUrl: 'http://localhost:0', gatewayUrl: 'http://gateway.internal:0' };

describe('AdvertisedUrls', () => {
  it('are as configured while the servers do not listen', () => {
    const urls = new AdvertisedUrls(config, { api: server(), gateway: server() });
    expect(urls.publicUrl).toBe('http://localhost:0');
    expect(urls.gatewayUrl).toBe('http://gateway.internal:0');
    expect(urls.runGatewayUrl).toBe('http://gateway.internal:0');
  });

  it('name the ports the servers bound once they listen, with nothing set by hand', async () => {
    const api = server();
    const gateway = server();
    const urls = new AdvertisedUrls(config, { api, gateway });
    const apiPort = await listening(api);
    const gatewayPort = await listening(gateway);
    expect(urls.publicUrl).toBe(`http://localhost:${apiPort}`);
    expect(urls.gatewayUrl).toBe(`http://gateway.internal:${gatewayPort}`);
    expect(urls.runGatewayUrl).toBe(`http://127.0.0.1:${gatewayPort}`);
  });

  it('hand runs GATEWAY_URL when the gateway runs in another process', async () => {
    const api = server();
    const urls = new AdvertisedUrls(
      { publicUrl: 'https://akmatori.example.com', gatewayUrl: 'http://gateway:8081' },
      { api, gateway: undefined },
    );
    await listening(api);
    expect(urls.publicUrl).toBe('https://akmatori.example.com');
    expect(urls.gatewayUrl).toBe('http://gateway:8081');
    expect(urls.runGatewayUrl).toBe('http://gateway:8081');
  });
});

describe('withBoundPort', () => {
  it('replaces only a port 0, and only when a port is known', () => {
    expect(withBoundPort('http://localhost:0', 40123)).toBe('http://localhost:40123');
    expect(withBoundPort('http://localhost:0/akmatori', 40123)).toBe(
      'http://localhost:40123/akmatori',
    );
    expect(withBoundPort('http://localhost:8080', 40123)).toBe('http://localhost:8080');
    expect(withBoundPort('http://localhost:0', undefined)).toBe('http://localhost:0');
  });
});
