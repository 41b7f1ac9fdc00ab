import { loadConfig, type ResolvedConfig } from '@akmatori/host/config';
import type { Command } from 'commander';

/**
 * `akmatori secrets rotate`: re-seals every stored secret under the current key. Run it after
 * setting the new `AKMATORI_SECRET_KEY` with the old one in `AKMATORI_SECRET_KEY_PREVIOUS`;
 * afterwards the old key can be dropped.
 */
export function registerSecretsCommands(
  program: Command,
  config: () => ResolvedConfig = () =>
    loadConfig({ file: program.opts<{ config?: string }>().config }),
): void {
  const secrets = program.command('secrets').description('manage the encryption of stored secrets');
  secrets
    .command('rotate')
    .description('re-encrypt every stored secret with the current AKMATORI_SECRET_KEY')
    .action(async () => {
      const resolved = config();
      // The storage layer loads when a command that needs it runs, not for every command.
      const { openDatabase, openSecretBox } = await import('@akmatori/host');
      const { rotateSecrets } = await import('./secrets/rotate-secrets.js');
      const database = await openDatabase(resolved);
      try {
        if (resolved.migrateOnStart) await database.migrate();
        const box = openSecretBox(resolved);
        const reports = await rotateSecrets(database, box);
        for (const report of reports) {
          process.stdout.write(
            `${report.what}: ${report.rotated} re-encrypted, ${report.current} already current\n`,
          );
        }
        process.stdout.write(
          `All stored secrets now use key ${box.currentKeyId}; the previous keys can be removed.\n`,
        );
      } finally {
        await database.close();
      }
    });
}
