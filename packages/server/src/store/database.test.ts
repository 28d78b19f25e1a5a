// The SQLite files are private to the server's user: created 0600 whatever the umask, and a file
// left wider (by an older version, a copy, a restore) narrowed when the database is opened.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from './database.ts';

const posix = process.platform !== 'win32';
const modeOf = (path: string) => statSync(path).mode & 0o777;
const SUFFIXES = ['', '-wal', '-shm'];

async function withDatabaseDir(body: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-db-mode-'));
  // The usual umask: with it SQLite on its own makes all three files 0644.
  const previous = process.umask(0o022);
  try {
    await body(join(dir, 'data', 'keyless.db'));
  } finally {
    process.umask(previous);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A write, so the -wal file holds frames and both sidecar files exist while the database is open. */
const write = (database: OpenDatabase) => sql`CREATE TABLE IF NOT EXISTS mode_probe (x INTEGER)`.execute(database.db);

describe('SQLite file modes', { skip: !posix && 'POSIX file modes' }, () => {
  it('creates the database, its -wal and -shm 0600, in a 0700 directory', () =>
    withDatabaseDir(async (file) => {
      const database = await openDatabase({ kind: 'sqlite', file });
      try {
        await write(database);
        for (const suffix of SUFFIXES) {
          assert.ok(existsSync(file + suffix), `${file + suffix} exists while the database is open`);
          assert.equal(modeOf(file + suffix).toString(8), '600', `mode of keyless.db${suffix}`);
        }
        assert.equal(modeOf(join(file, '..')).toString(8), '700');
      } finally {
        await database.close();
      }
    }));

  it('narrows a database, -wal and -shm left readable by others to 0600 when it opens them', () =>
    withDatabaseDir(async (file) => {
      // One instance holds the files open (so -wal and -shm persist) while they are opened up,
      // as an older version or a restore would have left them; a second open narrows them.
      const first = await openDatabase({ kind: 'sqlite', file });
      try {
        await write(first);
        for (const suffix of SUFFIXES) chmodSync(file + suffix, 0o664);
        const second = await openDatabase({ kind: 'sqlite', file });
        try {
          for (const suffix of SUFFIXES) assert.equal(modeOf(file + suffix).toString(8), '600', `mode of keyless.db${suffix}`);
          // Still the same working database for both.
          await write(second);
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
      }
    }));
});
