import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDirName, firstStartImagePath, openEmbedded } from './embedded.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'akmatori-embedded-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('openEmbedded on a new data dir', () => {
  it('starts from the image the build made, and the cluster keeps its data across a restart', async () => {
    // `npm run build` (scripts/pglite-image.mjs) makes it; without it a first start runs initdb.
    expect(existsSync(firstStartImagePath())).toBe(true);
    expect(path.basename(firstStartImagePath())).toMatch(/^\d+\.\d+\.\d+.*\.tar\.gz$/);

    const dataDir = path.join(scratch, 'data');
    const first = await openEmbedded({ dataDir });
    try {
      expect((await first.migrate()).length).toBeGreaterThan(0);
      await first.executeSql('create table kept (value text)');
      await first.executeSql('insert into kept values ($1)', ['still here']);
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dataDir, embeddedDirName, 'PG_VERSION'))).toBe(true);

    // The cluster exists now: the image is not loaded over it (PGlite would refuse to).
    const again = await openEmbedded({ dataDir });
    try {
      expect(await again.pendingMigrations()).toEqual([]);
      const result = await again.executeSql('select value from kept');
      expect(result.rows).toEqual([{ value: 'still here' }]);
    } finally {
      await again.close();
    }
  });
});
