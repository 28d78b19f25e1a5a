// Opens the database the configuration names: an embedded SQLite file by default, PostgreSQL when
// KEYLESS_DATABASE_URL is a postgres:// URL (several instances sharing the load).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { ensurePrivateFile, narrowToPrivate } from '../private-file.ts';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations.ts';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts';

export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  /** `schema`: a plain lower-case identifier; the tables live there rather than in the role's default search_path. */
  | { kind: 'postgres'; url: string; schema?: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** SQLite's checkpoint thread, which now and then asks the group commit for a pause. */
  checkpointer?: Checkpointer;
  /** Closes the database and whatever runs beside it (SQLite's checkpoint thread). */
  close(): Promise<void>;
}

const STATEMENT_CACHE_LIMIT = 512;
/** WAL length (pages) past which the checkpoint thread gets the WAL started over: 16 MiB. */
const RESTART_FRAMES = 4096;

/**
 * Kysely's SQLite driver prepares every statement anew; the queries are parameterised, so a small
 * cache of prepared statements by SQL text saves SQLite's parse and plan on every call. Safe to
 * share: better-sqlite3 runs each statement synchronously to completion, and nothing streams.
 */
function withStatementCache(sqlite: import('better-sqlite3').Database) {
  const cache = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        statement = sqlite.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

export async function openDatabase(location: DatabaseLocation, options: { poolSize?: number } = {}): Promise<OpenDatabase> {
  if (location.kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (location.file !== ':memory:') {
      mkdirSync(dirname(location.file), { recursive: true, mode: 0o700 });
      // SQLite creates the database 0644 and gives -wal and -shm the database file's mode, so a
      // 0600 database keeps all three private; files left wider by an older version are narrowed.
      ensurePrivateFile(location.file);
      for (const sidecar of ['-wal', '-shm']) narrowToPrivate(location.file + sidecar);
    }
    const sqlite = new SQLite(location.file);
    // WAL: readers never block the writer; NORMAL is durable across process crashes (kill -9),
    // which is the failure the "never half-written" rule is about. busy_timeout lets several
    // processes (the server's workers) share the file for statements outside a transaction;
    // transactions wait for the write lock without it (sqlite-group-commit.ts).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // Rolling back to a savepoint (each work of a group commit has one) needs the pages it
    // changed as they were; kept in memory, not spilled to a temporary file past 64 KiB.
    sqlite.pragma('temp_store = MEMORY');
    let checkpointer: Checkpointer | undefined;
    if (location.file !== ':memory:') {
      // The checkpoint thread copies the WAL back and gets it started over (sqlite-checkpointer.ts).
      // SQLite's own checkpoint stays as a backstop, at four times the thread's threshold, for a
      // WAL the thread could not get started over (another process reading throughout, say).
      sqlite.pragma(`wal_autocheckpoint = ${4 * RESTART_FRAMES}`);
      checkpointer = startCheckpointer(location.file, () => sqlite.pragma('wal_autocheckpoint = 1000'), { restartFrames: RESTART_FRAMES });
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    await migrateToLatest(db, 'sqlite');
    return {
      db,
      dialect: 'sqlite',
      checkpointer,
      async close() {
        await db.destroy();
        await checkpointer?.stop();
      },
    };
  }
  const pg = await import('pg');
  const types = pg.default.types;
  // int8 (bigint) columns hold epoch milliseconds, well inside Number's safe range.
  types.setTypeParser(20, (value: string) => Number(value));
  const searchPath = location.schema === undefined ? {} : { options: `-c search_path=${location.schema}` };
  const pool = new pg.default.Pool({ connectionString: location.url, max: options.poolSize ?? 10, ...searchPath });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, 'postgres');
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
