import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The repository root. */
export const repoRoot = new URL('../../', import.meta.url);

/** Reads a file of the repository as text. */
export function readRepoFile(relativePath: string): string {
  return readFileSync(new URL(relativePath, repoRoot), 'utf8');
}

/** The parts of a Compose service the deployment tests read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { context: string; dockerfile: string; target?: string };
  readonly user?: string;
  readonly command?: string[];
  readonly environment?: Record<string, string>;
  readonly networks?: string[];
  readonly ports?: string[];
  readonly volumes?: string[];
  readonly tmpfs?: string[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { test?: string[]; disable?: boolean };
  readonly init?: boolean;
  readonly read_only?: boolean;
  readonly cap_drop?: string[];
  readonly security_opt?: string[];
  readonly restart?: string;
}

/** A Compose file as the tests read it. */
export interface ComposeFile {
  readonly name?: string;
  readonly services: Record<string, ComposeService>;
  readonly networks: Record<string, { driver?: string; internal?: boolean }>;
  readonly volumes?: Record<string, unknown>;
}

/** `docker-compose.yml` as written (variables not interpolated). */
export function readComposeFile(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml')) as ComposeFile;
}

/** `KEY=value` lines of an env file such as `.env.example` (comments and blanks skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match !== null) entries[match[1]!] = match[2]!.trim();
  }
  return entries;
}

const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Names of the variables a Compose value refers to (`${NAME}`, `${NAME:-default}`…). */
export function variablesIn(value: string): string[] {
  return [...value.matchAll(variable)].map((match) => match[1]!);
}

/**
 * Interpolates a Compose value as `docker compose` does: `${VAR}`, `${VAR:-default}` (unset or
 * empty), `${VAR-default}` (unset), `${VAR:?message}` and `${VAR?message}` (required).
 */
export function interpolate(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(variable, (_whole, name: string, operator?: string, operand?: string) => {
    const set = env[name];
    switch (operator) {
      case ':-':
        return set === undefined || set === '' ? (operand ?? '') : set;
      case '-':
        return set ?? operand ?? '';
      case ':?':
        if (set === undefined || set === '') throw new Error(`${name}: ${operand}`);
        return set;
      case '?':
        if (set === undefined) throw new Error(`${name}: ${operand}`);
        return set;
      default:
        return set ?? '';
    }
  });
}

/** A service's environment with its variables interpolated from `env`. */
export function serviceEnvironment(
  service: ComposeService,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      interpolate(String(value), env),
    ]),
  );
}
