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
  | { kind: 'postgres'; url: string; schema?: string; timeouts?: Partial<PostgresTimeouts> };

/**
 * How long Keyless waits on PostgreSQL before it answers 503 instead (KEYLESS_DATABASE_*_TIMEOUT_MS).
 * Without them a partition between Keyless and the database held a refresh until its client gave up.
 */
export interface PostgresTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /**
   * One statement: PostgreSQL cancels it after this long (statement_timeout), and the client gives
   * up on an answer a second later (a partition, where no cancel arrives) and drops the connection.
   */
  statementMs: number;
  /** A transaction left open without a statement (idle_in_transaction_session_timeout). */
  idleInTransactionMs: number;
  /** Waiting for a lock (lock_timeout), so a migration's lock shows as a retryable 503, not a hang. */
  lockMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5000, statementMs: 5000, idleInTransactionMs: 10_000, lockMs: 3000 };

/** What the database layer reports about its connections, for the operator's log. */
export type DatabaseFaultListener = (fault: { kind: 'connection-lost'; reason: string }) => void;

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

export interface OpenDatabaseOptions {
  poolSize?: number;
  /** Told once per connection that PostgreSQL or the network dropped (the pool replaces it). */
  onFault?: DatabaseFaultListener;
}

export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
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
  const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...location.timeouts };
  const searchPath = location.schema === undefined ? {} : { options: `-c search_path=${location.schema}` };
  const pool = new pg.default.Pool({
    connectionString: location.url,
    max: options.poolSize ?? 10,
    ...searchPath,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 1000,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    lock_timeout: timeouts.lockMs,
    keepAlive: true,
  });
  watchConnections(pool, options.onFault ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, 'postgres');
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * node-postgres emits 'error' on a pool (an idle connection dropped) and on a connection in use
 * between statements (a terminated backend, a reset): an 'error' nobody listens to ends the process,
 * which took every instance on a database down at once when PostgreSQL restarted. Listening is
 * enough for the pool to drop the connection and open another on the next request; the statement
 * that was cut fails, and its request answers 503 (database-faults.ts).
 *
 * A client-side read timeout (query_timeout, for a partition where PostgreSQL's own cancel never
 * arrives) leaves the connection waiting for an answer that may never come, so it is destroyed: the
 * pool then replaces it instead of handing the stuck connection to the next request.
 */
function watchConnections(pool: import('pg').Pool, onFault: DatabaseFaultListener): void {
  const lost = (error: Error) => onFault({ kind: 'connection-lost', reason: `${(error as { code?: string }).code ?? 'network'}: ${error.message}` });
  pool.on('error', lost);
  pool.on('connect', (client) => {
    let reported = false;
    client.on('error', (error) => {
      if (reported) return;
      reported = true;
      lost(error);
    });
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: Error) => {
          if (error?.message === 'Query read timeout') (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        });
      }
      return result;
    };
  });
}
