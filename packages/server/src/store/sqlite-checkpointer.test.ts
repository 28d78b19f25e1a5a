// The checkpoint thread and its pause: under writes that never stop, the WAL still starts over,
// and during the pause no process can write.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { startCheckpointer, type CheckpointPause } from './sqlite-checkpointer.ts';
import { groupCommitTransactions } from './sqlite-group-commit.ts';

/** A WAL frame: its 24-byte header and one 4 KiB page. */
const FRAME_BYTES = 24 + 4096;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyless-checkpointer-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A WAL-mode database with one table, whose connection never checkpoints by itself. */
function openFile(name: string) {
  const file = join(dir, name);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec('create table rows (id integer primary key, body blob not null)');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { file, sqlite, db };
}

const grouped = (db: Kysely<Database>, checkpointer?: CheckpointPause) =>
  groupCommitTransactions(db, (conn) => conn, (run) => run(), checkpointer);

const insertRow = (conn: Kysely<Database>) => sql`insert into rows (body) values (randomblob(3000))`.execute(conn);

describe('SQLite checkpoint thread', () => {
  it('gets the WAL started over while transactions keep arriving without a gap', async () => {
    const { file, sqlite, db } = openFile('busy.db');
    const checkpointer = startCheckpointer(file, () => assert.fail('the checkpoint thread died'), { intervalMs: 10, restartFrames: 64 });
    const transaction = grouped(db, checkpointer);
    try {
      // Sixteen writers, each beginning its next transaction as soon as its last committed:
      // the group commit always has work queued, so no commit ever waits for the thread.
      const rowsEach = 150;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = 0; i < rowsEach; i++) await transaction(insertRow);
        }),
      );
      const written = (sqlite.prepare('select count(*) as n from rows').get() as { n: number }).n;
      assert.equal(written, 16 * rowsEach);
      // Each row fills a page of its own, so 2,400 rows are at least 2,400 frames. The WAL file
      // only grows when frames are appended past its end; started over, it is written again from
      // the beginning. Never started over, it would hold them all.
      const walFrames = statSync(`${file}-wal`).size / FRAME_BYTES;
      assert.ok(walFrames < written / 3, `the WAL holds ${Math.round(walFrames)} frames for ${written} rows written`);
    } finally {
      await db.destroy();
      await checkpointer.stop();
    }
  });

  it('no other connection can write during the pause, and the group commits after it', async () => {
    const { file, db } = openFile('pause.db');
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    let asked = false;
    let otherCouldWrite: boolean | undefined;
    const transaction = grouped(db, {
      wantsPause: () => !asked,
      async pauseForCheckpoint() {
        asked = true;
        try {
          other.exec('begin immediate');
          other.exec('rollback');
          otherCouldWrite = true;
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'SQLITE_BUSY');
          otherCouldWrite = false;
        }
        return true;
      },
    });
    try {
      await Promise.all([transaction(insertRow), transaction(insertRow)]);
      assert.equal(otherCouldWrite, false);
      assert.equal((other.prepare('select count(*) as n from rows').get() as { n: number }).n, 2);
    } finally {
      other.close();
      await db.destroy();
    }
  });
});
