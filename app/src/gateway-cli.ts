import { existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger, PluginHost, systemClock } from '@akmatori/core';
import { loadConfig, type ResolvedConfig } from '@akmatori/host/config';
import type { Command } from 'commander';
import { gatewayRoleGrants } from './gateway/gateway-role.js';
import { AppErrors } from './errors.js';

/**
 * `akmatori gateway`: the MCP gateway as its own process, on PostgreSQL through its restricted
 * role (`GATEWAY_DATABASE_URL`). It never migrates and needs the same secret key as the API.
 */
export function registerGatewayCommand(
  program: Command,
  config: () => ResolvedConfig = () =>
    loadConfig({ file: program.opts<{ config?: string }>().config }),
): void {
  program
    .command('gateway')
    .description(
      'run the MCP gateway on its own (PostgreSQL only; the embedded default runs it inside serve)',
    )
    .option(
      '--print-grants <role>',
      'print the SQL granting <role> what the gateway needs, and exit',
    )
    .action(async (options: { printGrants?: string }) => {
      if (options.printGrants !== undefined) {
        process.stdout.write(`${gatewayRoleGrants(options.printGrants)}\n`);
        return;
      }
      const resolved = config();
      const log = createLogger({ level: resolved.logLevel, name: 'akmatori-gateway' });
      // Imported here, not at the top: every other command (the worker, --version) would load them.
      const { loadPlugins, openDatabase, openSecretBox, secretKeyFileName } =
        await import('@akmatori/host');
      const databaseUrl = resolved.gatewayDatabaseUrl ?? resolved.databaseUrl;
      if (databaseUrl === undefined)
        throw AppErrors.AKM_POSTGRES_REQUIRED({
          what: 'akmatori gateway',
          settings: 'GATEWAY_DATABASE_URL or DATABASE_URL',
          why: 'with the embedded database, `akmatori serve` runs the gateway itself',
        });
      if (
        resolved.secretKey === undefined &&
        !existsSync(path.join(resolved.dataDir, secretKeyFileName))
      )
        throw AppErrors.AKM_GATEWAY_SECRET_KEY_REQUIRED();
      const [
        { builtinTools },
        { GatewayDatabaseStore },
        { startGateway },
        { importFromWorkingDirectory },
      ] = await Promise.all([
        import('@akmatori/tools'),
        import('./gateway/gateway-database-store.js'),
        import('./gateway/start-gateway.js'),
        import('./plugin-importer.js'),
      ]);
      const database = await openDatabase({ ...resolved, databaseUrl });
      const plugins = new PluginHost({ log: log.child({ component: 'plugins' }) });
      plugins.register(builtinTools());
      await loadPlugins(plugins, resolved.plugins, importFromWorkingDirectory);
      const gateway = await startGateway({
        config: resolved,
        store: new GatewayDatabaseStore({
          knex: database.knex,
          secretBox: openSecretBox(resolved),
          plugins,
          clock: systemClock,
          log,
        }),
        plugins,
        log,
      });
      const stop = (): void => {
        log.info('gateway shutting down');
        void gateway
          .close()
          .then(() => database.close())
          .then(() => process.exit(0));
        setTimeout(() => process.exit(1), 10_000).unref();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
