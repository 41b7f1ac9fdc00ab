import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The built command line; tests that run it need `npm run build` first (`npm test` does). */
export const cliPath = path.join(
  path.dirname(createRequire(import.meta.url).resolve('akmatori/package.json')),
  'dist/cli.js',
);

/** A running `akmatori serve` child process. */
export interface ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code when it exits. */
  exited(): Promise<number | null>;
}

/**
 * Starts `akmatori serve` with only the given environment (plus PATH and HOME) on a free port;
 * `nodeArgs` go to Node before the script (a profiler's `--cpu-prof`, for example).
 */
export function startServerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, cliPath, 'serve'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /is running at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output, exited: () => exit });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then((code) =>
      reject(new Error(`akmatori exited with ${code} before starting:\n${output}`)),
    );
  });
}
