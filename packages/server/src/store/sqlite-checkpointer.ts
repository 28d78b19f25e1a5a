// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
// crosses 1,000 WAL pages and syncs the database file: 10–40 ms during which a single-threaded
// server answers nothing (the refresh benchmark's p99). Here a worker thread with its own
// connection checkpoints every few hundred milliseconds instead, and commits only append — until
// the WAL passes 4,096 pages, when a commit finishes the checkpoint so the WAL can start over
// (database.ts says why).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS evaluated in the thread: the server is bundled into one file, so the thread
// cannot be a module of its own. The driver's resolved path comes in through workerData.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Resolves once the thread has checkpointed a last time and closed its connection. */
  stop(): Promise<void>;
}

/** Starts the thread; `onFailure` runs if it dies, so the caller can fall back to automatic checkpoints. */
export function startCheckpointer(file: string, onFailure: () => void, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  let stopped = false;
  worker.on('error', () => {
    if (!stopped) onFailure();
  });
  return {
    stop() {
      stopped = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Unreferenced so it never holds a process open; referenced again while we wait for it.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
