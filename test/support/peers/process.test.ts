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
    expect(Number.isSafeInteger(peer.pid) && peer.pid > 0, `pid ${peer.pid}`).toBe(true);
    expect(peer.exited()).toBe(false);
    expect(() => process.kill(peer.pid, 0), 'the peer runs').not.toThrow();
    await peer.stop();
    expect(peer.exited()).toBe(true);
    // ESRCH: no such process. Any other error (a pid that is not a number, say) fails.
    expect(() => process.kill(peer.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
