#!/usr/bin/env -S node --max-semi-space-size=2
// The `akmatori` command. npm links a package's commands before its `prepare` script builds
// it, so the link points at this committed file rather than at dist/cli.js, which a fresh
// clone only has once `npm install` has finished building.
// `--max-semi-space-size=2` caps V8's young generation at 2 MB a half: it grew to ~32 MB
// committed during serve's start and stayed, ~25 MB of idle RSS (bench/README.md). V8 reads
// it only at process start, hence the shebang (`env -S` splits it into arguments).
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
try {
  await import(cli.href);
} catch (error) {
  if (
    error?.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes(fileURLToPath(cli))
  ) {
    process.stderr.write(
      `akmatori: not built yet (${fileURLToPath(cli)} is missing): run \`npm run build\` in the repository\n`,
    );
    process.exit(1);
  }
  throw error;
}
