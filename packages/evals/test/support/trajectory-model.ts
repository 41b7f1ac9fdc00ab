import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  startScriptedModel,
  type Scenario as ModelScript,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';

/**
 * One model endpoint for a whole test file that plays one trajectory at a time: `play(file)`
 * starts a scripted model answering from that `trajectories/*.json`, and every request to
 * `baseUrl` goes to it. So Akmatori's LLM settings are set once, and each run gets a fresh
 * script that cannot be thrown off by the run before it.
 */
export interface TrajectoryModel {
  readonly baseUrl: string;
  /** The scripted model of the trajectory now playing. */
  current(): ScriptedModel | undefined;
  play(trajectoryFile: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTrajectoryModel(): Promise<TrajectoryModel> {
  let scripted: ScriptedModel | undefined;
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (scripted === undefined) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'no trajectory is playing' } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = `${scripted.baseUrl.replace(/\/v1$/, '')}${req.url ?? '/'}`;
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === 'string' &&
          !['host', 'content-length', 'connection'].includes(entry[0]),
      ),
    );
    const answer = await fetch(target, {
      method: req.method ?? 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    if (answer.body === null) return void res.end();
    Readable.fromWeb(answer.body as never).pipe(res);
  };
  const server = createServer((req, res) => {
    void forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    current: () => scripted,
    async play(file) {
      await scripted?.close();
      scripted = await startScriptedModel(JSON.parse(readFileSync(file, 'utf8')) as ModelScript);
    },
    async close() {
      await scripted?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
