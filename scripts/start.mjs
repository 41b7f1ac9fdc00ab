#!/usr/bin/env node
// `npm start`: runs `akmatori serve` from the built tree, compiling the TypeScript first only
// when a source file is newer than its project's build. `tsc -b` on a tree already built still
// costs about 0.7 s of checking here; comparing modification times costs a few milliseconds.
// Arguments after `npm start --` go to `akmatori serve`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'app/dist/cli.js');

/** Newest modification time (ms) of the files under `dir`, recursively; 0 when there are none. */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** Whether a project of tsconfig.build.json has a source newer than its build info. */
function outOfDate() {
  if (!existsSync(cli)) return true;
  const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
  const shared = mtime(path.join(root, 'tsconfig.base.json'));
  return build.references.some(({ path: project }) => {
    const dir = path.join(root, project);
    const buildInfo = mtime(path.join(dir, 'dist/.tsbuildinfo'));
    const inputs = Math.max(
      shared,
      mtime(path.join(dir, 'tsconfig.json')),
      newestUnder(path.join(dir, 'src')),
    );
    return buildInfo === 0 || inputs > buildInfo;
  });
}

if (outOfDate()) {
  process.stderr.write('akmatori: sources changed since the last build; building (tsc -b)\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.argv = [process.argv[0], cli, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
