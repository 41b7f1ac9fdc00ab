#!/usr/bin/env node
// Makes the image of an initialised, empty embedded cluster that `openEmbedded` starts a new
// data dir from (dist/pglite-image/<PGlite version>.tar.gz): a first start then loads ~4.5 MB
// instead of running PostgreSQL's `initdb` (~2.7 s of CPU). Runs after `tsc -b` (it uses the
// built package); does nothing when the image for this PGlite version is already there.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { dumpEmbedded, firstStartImagePath, openEmbedded } from '../dist/storage/embedded.js';

const file = firstStartImagePath();
if (!existsSync(file)) {
  // A throwaway data dir with no image option and no image file yet: this runs initdb.
  const scratch = mkdtempSync(path.join(tmpdir(), 'akmatori-pglite-image-'));
  try {
    const db = await openEmbedded({ dataDir: scratch });
    let image;
    try {
      image = Buffer.from(await (await dumpEmbedded(db)).arrayBuffer());
    } finally {
      await db.close();
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, gzipSync(image, { level: 9 }));
    renameSync(partial, file);
    process.stdout.write(
      `akmatori: wrote the first-start image of the embedded database: ${file}\n`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
