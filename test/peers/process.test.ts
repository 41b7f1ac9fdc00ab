import { describe, expect, it } from 'vitest';
import { requireBinary, startPeerProcess } from './process.js';

describe('peer processes', () => {
  it('fails, naming the Debian package, when a peer binary is missing', () => {
    expect(() => requireBinary('/usr/bin/akmatori-no-such-peer', 'akmatori-peer-pkg')).toThrow(
      '/usr/bin/akmatori-no-such-peer not found: install akmatori-peer-pkg (apt-get install -y akmatori-peer-pkg)',
    );
  });

  it('stops a started process by its pid', async () => {
    const peer = startPeerProcess('/bin/sleep', ['60']);
    expect(peer.exited()).toBe(false);
    await peer.stop();
    expect(peer.exited()).toBe(true);
    expect(() => process.kill(peer.pid, 0)).toThrow();
  });
});
