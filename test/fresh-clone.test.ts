import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A newcomer's first hour, as a test: the committed repository is cloned into a temporary
 * folder, `npm install` runs there as the README says, and then every `akmatori` command the
 * README and docs/*.md show is run (or, for those that start servers, shown to exist). The
 * commands are read from the documents themselves, so a command added to the docs is covered
 * without touching this file.
 *
 * It is slow (npm install builds the whole tree): one file, so it runs beside the others.
 * npm's cache (~/.npm) serves the packages (`--prefer-offline`).
 */
const repository = fileURLToPath(new URL('..', import.meta.url));
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 3 * 60_000;

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children: ChildProcess[] = [];

/** Runs a command to its end without blocking the test worker. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: environment(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a user's shell would have: PATH and HOME (npm's cache), nothing of this test run. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

const documents = (): { name: string; text: string }[] => [
  { name: 'README.md', text: readFileSync(path.join(repository, 'README.md'), 'utf8') },
  ...readdirSync(path.join(repository, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => ({
      name: `docs/${file}`,
      text: readFileSync(path.join(repository, 'docs', file), 'utf8'),
    })),
];

/** Every mention of the command line: `akmatori …` in code spans and code blocks. */
function mentions(): { where: string; words: string[] }[] {
  const found: { where: string; words: string[] }[] = [];
  for (const { name, text } of documents()) {
    const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const spans = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map(
      (m) => m[1]!,
    );
    for (const line of [...blocks.flatMap((block) => block.split('\n')), ...spans]) {
      // The command starts the line or span, or follows npx or environment assignments.
      const match =
        /(?:^|\bnpx (?:--yes )?|^(?:- run: )?(?:[A-Z_]+=\S*\s+)+)akmatori((?: +[^\s#]+)*)/.exec(
          line.trim(),
        );
      if (match === null) continue;
      found.push({ where: `${name}: ${line.trim()}`, words: match[1]!.trim().split(/\s+/) });
    }
  }
  return found;
}

/** The lines of code blocks a reader would paste: `npx akmatori …`. */
function npxCommands(): { where: string; args: string[] }[] {
  const found: { where: string; args: string[] }[] = [];
  for (const { name, text } of documents())
    for (const [, block] of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g))
      for (const line of block!.replace(/\\\n\s*/g, '').split('\n')) {
        const match = /\bnpx (?:--yes )?akmatori((?: +[^\s#]+)*)/.exec(line);
        if (match === null) continue;
        const args = match[1]!.trim().split(/\s+/).filter(Boolean);
        found.push({ where: `${name}: ${line.trim()}`, args });
      }
  return found;
}

/** Commands that start a long-running server: shown to exist, not run here. */
const SERVER_COMMANDS = new Set(['serve', 'worker', 'gateway']);
/**
 * Commands that need a model endpoint and its key (`eval run`) or a running server (`eval
 * replay`): here their subcommand's `--help`; app/test/eval-run-cli.test.ts and
 * app/test/replay-e2e.test.ts run them against the scripted model.
 */
const MODEL_COMMANDS = new Set(['eval']);

describe('a fresh clone, after npm install', () => {
  let clone = '';
  let dataDir = '';
  let installSeconds = 0;
  let commandTree = new Map<string, Set<string>>();

  const npx = (args: readonly string[], env: Record<string, string> = {}): Promise<Result> =>
    run('npx', ['--no-install', 'akmatori', ...args], {
      cwd: clone,
      env: { AKMATORI_DATA_DIR: dataDir, ...env },
    });

  beforeAll(async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'akm-clone-'));
    clone = path.join(parent, 'akmatori');
    dataDir = path.join(parent, 'data');
    const cloned = await run('git', ['clone', '--quiet', repository, clone], { cwd: parent });
    expect(cloned.code, cloned.stderr).toBe(0);
    const started = performance.now();
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: clone,
    });
    installSeconds = (performance.now() - started) / 1000;
    process.stderr.write(`fresh clone: npm install took ${installSeconds.toFixed(0)} s\n`);
    expect(install.code, `npm install failed:\n${install.stdout}\n${install.stderr}`).toBe(0);
    // Every dependency's install script is approved in package.json (allowScripts).
    expect(install.stderr + install.stdout).not.toContain('allow-scripts');

    // The command tree as the CLI itself describes it: top-level commands and their subcommands.
    const top = await npx(['--help']);
    expect(top.code, top.stderr).toBe(0);
    commandTree = new Map();
    for (const name of helpCommands(top.stdout)) {
      const help = await npx([name, '--help']);
      commandTree.set(name, new Set(helpCommands(help.stdout)));
    }
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    // A whole install to delete: give it time on a busy machine.
    if (clone !== '') await rm(path.dirname(clone), { recursive: true, force: true });
  }, INSTALL_TIMEOUT_MS);

  it('links the akmatori command, so npx akmatori --version answers with the version', async () => {
    expect(existsSync(path.join(clone, 'node_modules/.bin/akmatori'))).toBe(true);
    const version = await npx(['--version']);
    const app = JSON.parse(readFileSync(path.join(clone, 'app/package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(app.version);
  });

  it('builds every example plugin, which the plugin host accepts when imported by its package name', async () => {
    const examples = readdirSync(path.join(clone, 'examples'));
    expect(examples.length).toBeGreaterThan(0);
    for (const dir of examples) {
      const { name } = JSON.parse(
        readFileSync(path.join(clone, 'examples', dir, 'package.json'), 'utf8'),
      ) as { name: string };
      // How `akmatori serve` loads AKMATORI_PLUGINS: import by name, call a factory, register.
      const script = [
        "const { PluginHost } = await import('@akmatori/core');",
        `const m = await import(${JSON.stringify(name)});`,
        "const plugin = typeof m.default === 'function' ? m.default({}) : m.default;",
        'new PluginHost().register(plugin);',
        'console.log(plugin.name);',
      ].join(' ');
      const result = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: clone,
      });
      expect(result.code, `${name}:\n${result.stderr}`).toBe(0);
      expect(result.stdout.trim()).toBe(name);
    }
  });

  it('knows every akmatori command and subcommand the README and docs mention', () => {
    const all = mentions();
    expect(all.length).toBeGreaterThan(10);
    for (const { where, words } of all) {
      const [first, second] = words;
      // `akmatori --version`, `akmatori [serve]`, `akmatori (bin)`: no command word to check.
      if (first === undefined || !/^[a-z][a-z-]*$/.test(first)) continue;
      expect(commandTree.has(first), `unknown command "${first}" in ${where}`).toBe(true);
      const subcommands = commandTree.get(first)!;
      if (subcommands.size > 0)
        expect(
          second !== undefined && subcommands.has(second),
          `"akmatori ${first}" needs one of ${[...subcommands].join(', ')}; ${where}`,
        ).toBe(true);
    }
  });

  it(
    'runs every npx akmatori command the docs show that needs no server',
    async () => {
      const commands = npxCommands();
      expect(commands.length).toBeGreaterThan(0);
      // The docs validate "skills/", a skills repository's folder: the starter skills are one.
      cpSync(path.join(clone, 'app/skills'), path.join(clone, 'skills'), { recursive: true });
      let ran = 0;
      for (const { where, args } of commands) {
        if (args.length === 0 || SERVER_COMMANDS.has(args[0]!)) {
          const help = await npx([...args.slice(0, 1), '--help']);
          expect(help.code, `${where}\n${help.stderr}`).toBe(0);
          continue;
        }
        if (MODEL_COMMANDS.has(args[0]!)) {
          const help = await npx([...args.slice(0, 2), '--help']);
          expect(help.code, `${where}\n${help.stderr}`).toBe(0);
          expect(help.stdout, where).toContain(`Usage: akmatori ${args[0]} ${args[1]}`);
          continue;
        }
        const result = await npx(args);
        expect(result.code, `${where}\n${result.stdout}\n${result.stderr}`).toBe(0);
        ran += 1;
      }
      expect(ran).toBeGreaterThan(0);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'runs the command-line reference of the README on the embedded database',
    async () => {
      const skills = path.join(clone, 'app/skills');
      const steps: string[][] = [
        ['migrate'],
        ['skills', 'validate', skills],
        ['skills', 'sync'],
        ['secrets', 'rotate'],
        ['gateway', '--print-grants', 'akmatori_gateway'],
      ];
      for (const args of steps) {
        const result = await npx(args, { AKMATORI_SKILLS_DIR: path.join(dataDir, 'skills') });
        expect(result.code, `akmatori ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(
          0,
        );
      }
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'npm start serves /health, and the README login works: setup, then log in as admin',
    async () => {
      const child = spawn('npm', ['start'], {
        cwd: clone,
        env: environment({
          PORT: '0',
          GATEWAY_PORT: '0',
          HOST: '127.0.0.1',
          AKMATORI_DATA_DIR: path.join(path.dirname(clone), 'start-data'),
          AKMATORI_EMBEDDED_WORKER: 'false',
        }),
        detached: true,
      });
      children.push(child);
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          const match = /is running at (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]!);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.on('exit', (code) => reject(new Error(`npm start exited ${code}:\n${output}`)));
      });
      try {
        expect(output).toContain('/auth/setup');
        expect((await fetch(`${url}/health`)).status).toBe(200);
        const password = 'a long admin password';
        const setup = await fetch(`${url}/auth/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ password }),
        });
        expect(setup.status).toBe(201);
        expect(((await setup.json()) as { token?: string }).token).toMatch(/^aks_/);
        const login = await fetch(`${url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
        expect(login.status).toBe(200);
        const { token } = (await login.json()) as { token: string };
        const me = await fetch(`${url}/api/incidents`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(me.status).toBe(200);
      } finally {
        // npm start runs node under a shell: stop the whole group.
        process.kill(-child.pid!, 'SIGTERM');
        await new Promise((resolve) =>
          child.exitCode !== null ? resolve(null) : child.on('exit', resolve),
        );
      }
    },
    COMMAND_TIMEOUT_MS,
  );
});

/** The command names in a commander `--help` output's "Commands:" section. */
function helpCommands(help: string): string[] {
  const section = /\nCommands:\n([\s\S]*)$/.exec(help)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][a-z-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}
