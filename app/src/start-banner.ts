import path from 'node:path';
import type { Database, ResolvedConfig } from '@akmatori/host';
import { appVersion } from './version.js';

/** The human-readable lines printed when the server has started. */
export function describeStart(input: {
  config: ResolvedConfig;
  database: Database;
  url: string;
  /** The MCP gateway's URL when this process runs it. */
  gatewayUrl?: string | undefined;
  setupRequired: boolean;
  /** The one-time setup code first-run setup needs on this server, when it needs one. */
  setupCode?: string | undefined;
  /** The bubblewrap executable the embedded worker will sandbox the agent with, if installed. */
  bwrap: string | undefined;
  /** Alert sources without a webhook secret: anyone who can reach their URL can send alerts. */
  unauthenticatedSources?: readonly { readonly id: string; readonly name: string }[];
}): string {
  const { config, database, url, setupRequired } = input;
  const data =
    database.backend === 'embedded'
      ? `embedded PostgreSQL (PGlite) in ${database.location}`
      : `PostgreSQL at ${database.location}`;
  const keyFile =
    config.secretKey === undefined
      ? path.join(config.dataDir, 'secret.key')
      : 'AKMATORI_SECRET_KEY';
  const setupCode = input.setupCode === undefined ? '' : `,"setup_code":"${input.setupCode}"`;
  const login = setupRequired
    ? [
        `No admin password yet. Open ${url} to set one (once), or with curl:`,
        `  curl -X POST ${url}/auth/setup -H 'content-type: application/json' -d '{"password":"<at least 8 characters>"${setupCode}}'`,
        ...(input.setupCode === undefined
          ? []
          : [
              `  (${input.setupCode} is the one-time setup code: this server is reachable from other machines, so setup needs it)`,
            ]),
        '  or restart with ADMIN_PASSWORD set.',
        `Setup creates the user "admin" and answers {"token":"aks_…"} like a login: send it as -H "authorization: Bearer <token>".`,
        `Later, log in as "admin":`,
        `  curl -X POST ${url}/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
      ]
    : [
        `Log in as "admin" at ${url} with the admin password${config.adminPassword === undefined ? '' : ' (ADMIN_PASSWORD)'}, or with curl:`,
        `  curl -X POST ${url}/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
        `  it answers {"token":"aks_…"}: send it as -H "authorization: Bearer <token>".`,
      ];
  const { bwrap } = input;
  const agent = !config.embeddedWorker
    ? 'investigations run on workers started apart (akmatori worker)'
    : bwrap === undefined
      ? 'investigations are REFUSED: bubblewrap is not installed, so the agent cannot be contained (apt-get install bubblewrap)'
      : `each investigation's agent in a bubblewrap sandbox (${bwrap}), workspaces in ${config.runsDir}`;
  return [
    '',
    `Akmatori ${appVersion} is running at ${url}`,
    `  dashboard:   ${url}`,
    `  data:        ${data}`,
    `  secret key:  ${keyFile} (back it up: encrypted credentials need it)`,
    `  API docs:    ${url}/api/docs`,
    `  agent:       ${agent}`,
    `  MCP gateway: ${input.gatewayUrl === undefined ? 'not in this process (akmatori gateway)' : `${input.gatewayUrl}/mcp`}`,
    ...unauthenticatedLines(input.unauthenticatedSources ?? []),
    ...login.map((line) => `  ${line}`),
    '',
    '',
  ].join('\n');
}

/** The warning about sources that take alerts from anyone, one line per source. */
function unauthenticatedLines(
  sources: readonly { readonly id: string; readonly name: string }[],
): string[] {
  if (sources.length === 0) return [];
  return [
    `  WARNING:     ${sources.length} alert source${sources.length === 1 ? ' accepts' : 's accept'} alerts from anyone who can reach the webhook URL (no webhook_secret):`,
    ...sources.map((source) => `                 ${source.name} (${source.id})`),
  ];
}
