// WAL checkpoints off the event loop.
//
// SQLite's automatic checkpoint runs inside whichever commit crosses its threshold: it copies the
// WAL into the database file and syncs both, 10–60 ms during which a single-threaded server
// answers nothing (the refresh benchmark's p99). Here a worker thread with its own connection
// checkpoints every 100 ms instead, and commits only append.
//
// Copying is not enough: SQLite starts the WAL over only when a writer begins at a moment when
// the whole WAL has been copied, and under steady load some commit always lands while the thread
// copies (the WAL grew to 433 MB in a minute of the refresh benchmark). So once the WAL passes
// `restartFrames`, the thread asks for a pause: the next group commit takes the write lock, which
// stops every process's writers, and waits (yielding, so requests keep being read) while the
// thread copies the last few frames it had not reached. The group then begins anew, and its
// first write starts the WAL over. The pause costs a few milliseconds of writing, not of the
// event loop; the thread has done the bulk (and its file syncs) beforehand.
import { closeSync, openSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The states of the shared phase word. */
const IDLE = 0;
/** The thread has copied most of a long WAL and waits for a writer to hold the lock. */
const WANTED = 1;
/** A writer holds the lock and waits for the thread to copy the rest. */
const HELD = 2;

// Plain CommonJS evaluated in the thread: the server is bundled into one file, so the thread
// cannot be a module of its own. The driver's resolved path comes in through workerData.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { fdatasyncSync } = require('node:fs');
const Database = require(workerData.driver);
const { phase: phaseBuffer, file, dbFd, intervalMs, restartFrames, holdWaitMs } = workerData;
const db = new Database(file);
db.pragma('busy_timeout = 5000');
const phase = new Int32Array(phaseBuffer);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const checkpoint = () => { try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch { return undefined; } };

// With the writers stopped: copy what is left. Another process's checkpoint may hold the
// checkpoint lock, and its readers may still read older frames; both end within milliseconds.
function finish() {
  const deadline = performance.now() + holdWaitMs;
  for (;;) {
    const result = checkpoint();
    if ((result && !result.busy && result.log === result.checkpointed) || performance.now() > deadline) return;
    pause(1);
  }
}

function tick() {
  const result = checkpoint();
  if (!result || result.busy || result.log < restartFrames) return;
  // A checkpoint syncs the database file only once it has copied the whole WAL, which under load
  // none does. So: copy what came in meanwhile, then sync what is copied, and the pause is left
  // with the last few frames and their sync.
  checkpoint();
  fdatasyncSync(dbFd);
  Atomics.store(phase, 0, ${WANTED});
  Atomics.wait(phase, 0, ${WANTED}, holdWaitMs);
  // No writer came (an idle server appends nothing, so the next writer starts the WAL over anyway).
  if (Atomics.compareExchange(phase, 0, ${WANTED}, ${IDLE}) === ${WANTED}) return;
  finish();
  Atomics.store(phase, 0, ${IDLE});
  parentPort.postMessage('copied');
}

const timer = setInterval(tick, intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

export interface CheckpointerOptions {
  /** WAL length (frames, one page each) past which the thread asks for a pause to start it over. */
  restartFrames: number;
  intervalMs?: number;
  /** How long either side waits for the other before carrying on without the pause. */
  holdWaitMs?: number;
}

export interface Checkpointer {
  /** Whether the thread is waiting for a writer to stop the others (one shared-memory read). */
  wantsPause(): boolean;
  /**
   * Called by a writer that holds the write lock, after `wantsPause()`: lets the thread copy the
   * rest of the WAL and resolves once it has. False if the thread had stopped waiting already,
   * so there was no pause; the caller's transaction then goes on as it is.
   */
  pauseForCheckpoint(): Promise<boolean>;
  /** Resolves once the thread has checkpointed a last time and closed its connection. */
  stop(): Promise<void>;
}

/**
 * The descriptor the threads sync a database file through: one per file per process, closed with
 * the last thread using it. Closing any descriptor of a file drops every POSIX lock the process
 * holds on it, SQLite's connections' included, so none is closed while a connection may be open.
 */
const syncDescriptors = new Map<string, { fd: number; users: number }>();

function acquireSyncDescriptor(file: string): { fd: number; release(): void } {
  const key = realpathSync(file);
  const entry = syncDescriptors.get(key) ?? { fd: openSync(key, 'r'), users: 0 };
  entry.users++;
  syncDescriptors.set(key, entry);
  return {
    fd: entry.fd,
    release() {
      if (--entry.users > 0) return;
      syncDescriptors.delete(key);
      closeSync(entry.fd);
    },
  };
}

/** What a group commit needs of the checkpointer: to be asked for the pause, and to give it. */
export type CheckpointPause = Pick<Checkpointer, 'wantsPause' | 'pauseForCheckpoint'>;

/** Starts the thread; `onFailure` runs if it dies, so the caller can fall back to automatic checkpoints. */
export function startCheckpointer(file: string, onFailure: () => void, options: CheckpointerOptions): Checkpointer {
  const { restartFrames, intervalMs = 100, holdWaitMs = 100 } = options;
  const phaseBuffer = new SharedArrayBuffer(4);
  const phase = new Int32Array(phaseBuffer);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const sync = acquireSyncDescriptor(file);
  const workerData = { driver, file, dbFd: sync.fd, intervalMs, restartFrames, holdWaitMs, phase: phaseBuffer };
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData });
  worker.unref();
  // The descriptor outlives the thread; the caller closes its own connection before stop().
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve())).then(sync.release);
  let stopped = false;
  let dead = false;
  let copied: (() => void) | undefined;
  worker.on('message', () => copied?.());
  worker.on('error', () => {
    dead = true;
    copied?.();
    if (!stopped) onFailure();
  });
  return {
    wantsPause: () => !dead && Atomics.load(phase, 0) === WANTED,
    async pauseForCheckpoint() {
      if (Atomics.compareExchange(phase, 0, WANTED, HELD) !== WANTED) return false;
      Atomics.notify(phase, 0);
      await new Promise<void>((resolve) => {
        // Bounded: a thread that never answers must not keep every writer waiting.
        const timer = setTimeout(resolve, holdWaitMs * 2);
        copied = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      copied = undefined;
      return true;
    },
    stop() {
      stopped = true;
      // Unreferenced so it never holds a process open; referenced again while we wait for it.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
