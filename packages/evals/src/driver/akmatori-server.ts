import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvalErrors } from '../errors.js';
import { akmatoriApi, type AkmatoriApi } from './akmatori-api.js';

/** A throwaway `akmatori serve` the harness started, logged in as admin. */
export interface EvalServer {
  readonly api: AkmatoriApi;
  /** Everything the server printed so far (for failure messages; never holds the model key). */
  output(): string;
  /** Stops the server (SIGTERM, SIGKILL after 10 s) and deletes its data. */
  stop(): Promise<void>;
}

/** How to start the server: its command line (`node <akmatori cli> serve`) and extra environment. */
export interface EvalServerOptions {
  /** The akmatori command line script, e.g. app/dist/cli.js. */
  readonly cliPath: string;
  /** More environment for the server (e.g. `AKMATORI_WORKER_CAPACITY`). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for it to listen (default 60 s). */
  readonly startTimeoutMs?: number;
}

/**
 * Starts `akmatori serve` on an embedded database in a throwaway data directory, the API and the
 * gateway on free loopback ports (PORT=0, GATEWAY_PORT=0), and logs in as admin with a random
 * password. The server inherits only PATH and HOME: nothing of the caller's environment, so no
 * model key, reaches it but through the LLM settings.
 *
 * @example
 * ```ts
 * const server = await startEvalServer({ cliPath: 'app/dist/cli.js' });
 * await server.api.call('GET', '/api/me');
 * await server.stop();
 * ```
 */
export async function startEvalServer(options: EvalServerOptions): Promise<EvalServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-eval-'));
  const password = randomBytes(18).toString('base64url');
  const child = spawn(process.execPath, [options.cliPath, 'serve'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      GATEWAY_PORT: '0',
      HOST: '127.0.0.1',
      AKMATORI_DATA_DIR: dataDir,
      ADMIN_PASSWORD: password,
      AKMATORI_SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const removeData = (): void => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-runs`, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    removeData();
  };

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`it did not listen within ${options.startTimeoutMs ?? 60_000} ms`)),
        options.startTimeoutMs ?? 60_000,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /is running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`it exited with ${code}`));
      });
    });
  } catch (error) {
    await stop();
    throw EvalErrors.AKM_EVAL_SERVER_START_FAILED({
      reason: `${(error as Error).message}\n${output.slice(-4000)}`,
    });
  }

  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (login.status !== 200) {
    const body = await login.text();
    await stop();
    throw EvalErrors.AKM_EVAL_SERVER_START_FAILED({
      reason: `the admin login answered ${login.status}: ${body}`,
    });
  }
  const { token } = (await login.json()) as { token: string };
  return { api: akmatoriApi(url, token), output: () => output, stop };
}
