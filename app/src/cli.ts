#!/usr/bin/env node
import { createLogger, isAkmatoriError } from '@akmatori/core';
import { loadConfig } from '@akmatori/host/config';
import { Command } from 'commander';
import { registerEvalCommands } from './eval-cli.js';
import { registerGatewayCommand } from './gateway-cli.js';
import { gatewayRoleGrants } from './gateway/gateway-role.js';
import { registerSecretsCommands } from './secrets-cli.js';
import { registerWorkerCommand } from './worker-cli.js';
import { registerSkillsCommands } from './skills-cli.js';
import { appVersion } from './version.js';
import { AppErrors } from './errors.js';

// Each command imports what it runs when it runs (`serve` below, the gateway in its action):
// the embedded worker and `--version` do not load the API, Fastify, Slack or the gateway
// (the worker idles at about half the memory, `akmatori --version` answers in a third of the time).

const SHUTDOWN_TIMEOUT_MS = 30_000;

const program = new Command()
  .name('akmatori')
  .description('Akmatori, the AIOps agent')
  .version(appVersion, '-v, --version')
  .option('-c, --config <file>', 'config file (JSON or YAML); also AKMATORI_CONFIG');

program
  .command('serve', { isDefault: true })
  .description('start the API server (the default command)')
  .action(async () => {
    const config = loadConfig({ file: program.opts<{ config?: string }>().config });
    const log = createLogger({ level: config.logLevel, name: 'akmatori' });
    const { serve } = await import('./serve.js');
    const server = await serve(config, log);
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: draining requests');
      const timer = setTimeout(() => {
        log.error('shutdown took too long: exiting');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .option(
    '--gateway-role <role>',
    'then grant this existing PostgreSQL role what `akmatori gateway` needs (its GATEWAY_DATABASE_URL role)',
  )
  .action(async (options: { gatewayRole?: string }) => {
    const config = loadConfig({ file: program.opts<{ config?: string }>().config });
    const log = createLogger({ level: config.logLevel, name: 'akmatori' });
    // Checked before anything is opened: a bad role name changes nothing.
    const grants =
      options.gatewayRole === undefined ? undefined : gatewayRoleGrants(options.gatewayRole);
    if (grants !== undefined && config.databaseUrl === undefined)
      throw AppErrors.AKM_POSTGRES_REQUIRED({
        what: '--gateway-role',
        settings: 'DATABASE_URL',
        why: 'with the embedded database the gateway runs inside serve',
      });
    const { openDatabase } = await import('@akmatori/host');
    const database = await openDatabase(config);
    try {
      const applied = await database.migrate();
      log.info(
        { applied, database: database.backend, location: database.location },
        applied.length > 0 ? 'migrations applied' : 'database already up to date',
      );
      if (grants !== undefined) {
        await database.executeSql(grants);
        log.info({ role: options.gatewayRole }, 'gateway role granted');
      }
    } finally {
      await database.close();
    }
  });

registerGatewayCommand(program);
registerWorkerCommand(program);
registerSkillsCommands(program);
registerSecretsCommands(program);
registerEvalCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `akmatori: ${isAkmatoriError(error) ? `${error.message} [${error.code}]` : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
