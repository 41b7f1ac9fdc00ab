import { describe, expect, it } from 'vitest';
import { gatewayEndpoint } from './gateway-endpoint.js';

describe('how the agent sandbox reaches the gateway', () => {
  it('makes a host name resolve to loopback inside, on the same port', () => {
    expect(gatewayEndpoint('http://gateway:8081')).toEqual({
      host: 'gateway',
      port: 8081,
      listenAddress: '127.0.0.1',
      hostName: 'gateway',
    });
  });

  it('listens on the very loopback address the URL names', () => {
    expect(gatewayEndpoint('http://127.0.0.2:9000/')).toMatchObject({
      host: '127.0.0.2',
      listenAddress: '127.0.0.2',
      hostName: undefined,
    });
    expect(gatewayEndpoint('https://[::1]:8443')).toMatchObject({
      host: '::1',
      listenAddress: '::1',
    });
  });

  it('refuses an address outside loopback, saying what to do', () => {
    expect(() => gatewayEndpoint('http://10.1.2.3:8081')).toThrow(
      /only loopback exists, so give GATEWAY_URL a host name/,
    );
  });

  it('refuses a privileged port, which an unprivileged sandbox cannot listen on', () => {
    expect(() => gatewayEndpoint('https://gateway.example.com')).toThrow(/uses port 443/);
    expect(() => gatewayEndpoint('http://gateway:80')).toThrow(/uses port 80/);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => gatewayEndpoint('gateway:8081')).toThrow(/must be http\(s\)/);
    expect(() => gatewayEndpoint('not a url')).toThrow(
      expect.objectContaining({
        code: 'AKM_CODEX_GATEWAY_URL_INVALID',
        message: 'the gateway URL "not a url" is not a URL',
      }),
    );
  });
});
