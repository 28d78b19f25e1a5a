// SQLite write transactions, committed in groups.
//
// A SQLite commit costs about as much as the statements before it: every page the transaction
// changed goes to the WAL whole, with a frame header and a WAL-index update each, and a second
// worker process waits for the write lock meanwhile. Transactions that arrive together (the
// refreshes of one event-loop turn) therefore run one after another inside one transaction, each
// in its own savepoint, and commit once. Each still succeeds or fails alone: a work that throws
// rolls back to its savepoint, so its writes vanish and the others' stay. None is answered before
// the group has committed, so a crash loses only work nobody was told had happened.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { CheckpointPause } from './sqlite-checkpointer.ts';

/** At most this many transactions share a commit, so the first of a burst is not kept waiting. */
const MAX_GROUP = 64;
/** How long to keep asking for the write lock another process holds before giving up. */
const LOCK_TIMEOUT_MS = 5_000;
/** Turns of the event loop spent asking again for the lock before sleeping 1 ms between asks. */
const POLL_TURNS = 8;

const raw = (text: string) => CompiledQuery.raw(text);
const BEGIN_IMMEDIATE = raw('begin immediate');
const COMMIT = raw('commit');
const ROLLBACK = raw('rollback');
const SAVEPOINT = raw('savepoint work');
const RELEASE = raw('release work');
const ROLLBACK_TO = raw('rollback to work');
const NO_BUSY_WAIT = raw('pragma busy_timeout = 0');
const BUSY_WAIT = raw('pragma busy_timeout = 5000');

interface Pending<R> {
  work: (repos: R) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY';
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the write lock without SQLite's busy handler, which sleeps the whole process (1, 2, 5,
 * 10 ms …) while another worker commits. Waiting here yields instead: the event loop keeps
 * reading requests, and they join the next group.
 */
async function beginImmediate(conn: Kysely<Database>): Promise<void> {
  await conn.executeQuery(NO_BUSY_WAIT);
  try {
    const deadline = performance.now() + LOCK_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await conn.executeQuery(BEGIN_IMMEDIATE);
        return;
      } catch (error) {
        if (!isBusy(error) || performance.now() > deadline) throw error;
        // The other worker's commit usually ends within a few turns of our event loop.
        await (attempt < POLL_TURNS ? nextTurn() : sleep(1));
      }
    }
  } finally {
    await conn.executeQuery(BUSY_WAIT);
  }
}

/**
 * A `transaction(work)` for SQLite that groups concurrent calls into one commit. `reposOf`
 * builds the repositories bound to the group's connection; `around` wraps each group (the
 * revocation count settles once the group has ended); `checkpointer`, when there is one, gets the
 * pause it asks for to start the WAL over.
 */
export function groupCommitTransactions<R>(
  db: Kysely<Database>,
  reposOf: (conn: Kysely<Database>) => R,
  around: <T>(run: () => Promise<T>) => Promise<T>,
  checkpointer?: CheckpointPause,
): <T>(work: (repos: R) => Promise<T>) => Promise<T> {
  let queue: Pending<R>[] = [];
  let running = false;

  const runGroup = (group: Pending<R>[]) =>
    around(() =>
      db.connection().execute(async (conn) => {
        await beginImmediate(conn);
        const repos = reposOf(conn);
        const outcomes: Outcome[] = [];
        try {
          // Holding the write lock stops every writer while the thread copies the WAL's last
          // frames. Begun again afterwards, the group reads a fully copied WAL, and its first
          // write starts the WAL over (SQLite does that only for a transaction begun so).
          if (checkpointer?.wantsPause() && (await checkpointer.pauseForCheckpoint())) {
            await conn.executeQuery(ROLLBACK);
            await beginImmediate(conn);
          }
          for (const { work } of group) {
            await conn.executeQuery(SAVEPOINT);
            try {
              const value = await work(repos);
              await conn.executeQuery(RELEASE);
              outcomes.push({ ok: true, value });
            } catch (error) {
              // If SQLite itself ended the transaction (disk full, I/O error) this throws too,
              // and the whole group fails below: nothing of it was committed.
              await conn.executeQuery(ROLLBACK_TO);
              await conn.executeQuery(RELEASE);
              outcomes.push({ ok: false, error });
            }
          }
          await conn.executeQuery(COMMIT);
        } catch (error) {
          await conn.executeQuery(ROLLBACK).catch(() => {});
          throw error;
        }
        return outcomes;
      }),
    );

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const group = queue.slice(0, MAX_GROUP);
        queue = queue.slice(group.length);
        try {
          const outcomes = await runGroup(group);
          outcomes.forEach((outcome, i) => (outcome.ok ? group[i]!.resolve(outcome.value) : group[i]!.reject(outcome.error)));
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
        // Let requests read in the meantime join the next group rather than start one each.
        if (queue.length > 0 && queue.length < MAX_GROUP) await nextTurn();
      }
    } finally {
      running = false;
    }
  }

  return <T>(work: (repos: R) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!running) {
        running = true;
        // The first transaction of a turn waits for the rest of the turn's requests.
        setImmediate(() => void drain());
      }
    });
}
