// `keyless admin backup FILE`: an online copy of the SQLite database while the server serves.
//
// SQLite's online-backup API (`.backup`, better-sqlite3's backup()) starts over whenever another
// connection writes, so under a steady refresh load it never finished (20 s of load: it ended 18 s
// in, when the load stopped). `VACUUM INTO` copies one consistent snapshot in a single read
// transaction — 0.4–0.6 s for 40 MB under the same load, with no failed request — and runs here, in
// the admin process on its own read-only connection, so the server's event loop never waits on it.
// The copy is written beside the target and renamed into place (0600), so a crash leaves no half
// file under the target's name.
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { AdminError } from '../directory/directory-admin.ts';
import { print, type Io } from './admin-input.ts';

export function registerBackup(admin: Command, io: Io, dataDir: () => string | undefined): void {
  admin
    .command('backup')
    .description('copy the SQLite database while the server runs (PostgreSQL: pg_dump, see the README)')
    .argument('<file>', 'where the copy goes (must not exist)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const config = loadConfig(io.env, { dataDir: dataDir() });
      if (config.database.kind !== 'sqlite') {
        throw new AdminError('keyless admin backup copies the embedded SQLite database; on PostgreSQL use pg_dump (README, "Backup and restore").');
      }
      const target = resolve(file);
      if (existsSync(target)) throw new AdminError(`${target} exists already; the backup does not overwrite a file.`);
      if (!existsSync(config.database.file)) throw new AdminError(`There is no database at ${config.database.file}.`);
      const partial = resolve(dirname(target), `.${randomBytes(6).toString('hex')}.keyless-backup-partial`);
      const started = performance.now();
      const { default: SQLite } = await import('better-sqlite3');
      const source = new SQLite(config.database.file, { readonly: true, fileMustExist: true });
      try {
        source.prepare('vacuum into ?').run(partial);
        chmodSync(partial, 0o600);
        renameSync(partial, target);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      } finally {
        source.close();
      }
      const bytes = statSync(target).size;
      const ms = Math.round(performance.now() - started);
      const keyFrom = config.masterKey ? 'KEYLESS_MASTER_KEY' : resolve(config.dataDir, 'master.key');
      print(
        io,
        o.json,
        { file: target, bytes, ms, masterKey: keyFrom },
        `Backed up ${config.database.file} to ${target} (${bytes} bytes in ${ms} ms).\n` +
          `A server started on it needs this installation's master key (${keyFrom}), and signs out every session that refreshed after this moment: their latest tokens are not in the copy.`,
      );
    });
}
