import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { EvalReplayOptions } from './eval-replay-cli.js';
import { formatReplay, type ReplayJson } from './replay-report.js';

/**
 * Runs `akmatori eval replay <run-id>`: `POST /api/runs/{run-id}/replay` on the API at
 * `options.url` with the token in `AKMATORI_TOKEN`, then prints the result. Resolves with the
 * exit code: 0, or 1 when the replay failed or a `recorded` replay differs from the run.
 *
 * @example
 * ```ts
 * process.exitCode = await evalReplay(runId, { url, mode: 'recorded', skill: [] });
 * ```
 */
export async function evalReplay(runId: string, options: EvalReplayOptions): Promise<number> {
  if (options.mode !== 'recorded' && options.mode !== 'model')
    throw new Error(`--mode must be recorded or model, not ${String(options.mode)}`);
  const token = process.env['AKMATORI_TOKEN'];
  if (token === undefined || token === '')
    throw new Error('AKMATORI_TOKEN must hold an API token of an admin (POST /api/api-tokens)');
  const skills = await Promise.all(
    options.skill.map(async (spec) => {
      const at = spec.indexOf('=');
      if (at <= 0) throw new Error(`--skill takes name=file, not ${spec}`);
      return { name: spec.slice(0, at), content: await readFile(spec.slice(at + 1), 'utf8') };
    }),
  );
  const body = {
    mode: options.mode,
    ...(options.currentSkills === true ? { skills_from: 'current' } : {}),
    ...(skills.length === 0 ? {} : { skills }),
    ...(options.promptFile === undefined
      ? {}
      : { prompt: await readFile(options.promptFile, 'utf8') }),
    ...(options.instructionsFile === undefined
      ? {}
      : { instructions: await readFile(options.instructionsFile, 'utf8') }),
  };
  const url = new URL(
    `${options.url.replace(/\/+$/, '')}/api/runs/${encodeURIComponent(runId)}/replay`,
  );
  const { status, text } = await post(url, token, JSON.stringify(body));
  if (status !== 200) {
    process.stderr.write(`replay refused (HTTP ${status}): ${text}\n`);
    return 1;
  }
  const result = JSON.parse(text) as ReplayJson;
  process.stdout.write(
    options.json === true ? `${text}\n` : `${formatReplay(result).join('\n')}\n`,
  );
  const failed = result.replay.status !== 'completed';
  return failed || (result.mode === 'recorded' && !result.diff.identical) ? 1 : 0;
}

/** POSTs JSON and reads the whole answer, without a time limit (a replay lasts as long as its run). */
function post(url: URL, token: string, body: string): Promise<{ status: number; text: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
