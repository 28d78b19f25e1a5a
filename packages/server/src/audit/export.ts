// CloudTrail log files: `AWSLogs/{account}/CloudTrail/{region}/{yyyy}/{mm}/{dd}/
// {account}_CloudTrail_{region}_{yyyymmddTHHmmZ}_{id}.json.gz`, each `{"Records":[…]}` gzipped,
// one per account and region of a batch (PROTOCOL.md §5).
//
// Each event goes out exactly once, across restarts and instances:
// 1. claim: one transaction moves the cursor from "batch n written" to "batch n+1 claimed" (a
//    conditional write only one instance wins) and stamps the oldest unexported events with n+1.
//    Membership is then fixed, whichever instance writes the files, however often.
// 2. write: the batch's files, named from the batch number and the claim's instant, each written
//    to a temporary file, flushed and renamed over its final name: a retry writes the very same
//    bytes to the very same names.
// 3. complete: the cursor's written mark moves to n+1, only then may n+2 be claimed.
// A crash between 1 and 3 leaves the batch claimed; the next run (here or on another instance)
// writes it again and completes it. An event committed late (PostgreSQL assigns seq before
// commit) is simply unexported still, and goes in a later batch.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../clock.ts';
import type { AuditEventRow, Store } from '../store/store.ts';
import { indexPending } from './indexer.ts';

/** CloudTrail delivers a file about every five minutes. */
export const EXPORT_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_BATCH_EVENTS = 10_000;
/** Batches written per run at most, so one run cannot hold the process for long after an outage. */
const MAX_BATCHES_PER_RUN = 100;

export interface ExportDeps {
  store: Pick<Store, 'read' | 'transaction'>;
  clock: Clock;
  /** KEYLESS_AUDIT_EXPORT_DIR: the root under which `AWSLogs/` is written. */
  dir: string;
  maxEventsPerBatch?: number;
}

export interface ExportResult {
  batches: number[];
  files: string[];
  events: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The file a batch's events of one account and region go to, relative to the export root. */
export function logFilePath(accountId: string, region: string, batch: number, claimedAt: number): string {
  const at = new Date(claimedAt);
  const [yyyy, mm, dd] = [pad(at.getUTCFullYear(), 4), pad(at.getUTCMonth() + 1), pad(at.getUTCDate())];
  const stamp = `${yyyy}${mm}${dd}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}Z`;
  // CloudTrail's last part is a 16-character unique string; ours is the batch number, so a
  // retry names the same file.
  const id = pad(batch, 16);
  return join('AWSLogs', accountId, 'CloudTrail', region, yyyy, mm, dd, `${accountId}_CloudTrail_${region}_${stamp}_${id}.json.gz`);
}

/** `{"Records":[…]}` of the stored records, verbatim and in append order. */
export function logFileBody(events: readonly AuditEventRow[]): Buffer {
  return gzipSync(Buffer.from(`{"Records":[${events.map((e) => e.record).join(',')}]}`, 'utf8'));
}

// Log files hold identities (ARNs, account ids, source addresses, user agents) but no secret: the
// owner and the server's group may read them (a log shipper run in that group, as CloudTrail's
// bucket has its readers), others nothing, not even the directory names, which carry account ids.
const LOG_FILE_MODE = 0o640;
const LOG_DIRECTORY_MODE = 0o750;

/** Writes `data` to `path` so that a reader sees the old file or the whole new one, never part. */
function writeAtomically(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: LOG_DIRECTORY_MODE });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: LOG_FILE_MODE });
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename is durable once the directory is.
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

/** Writes every file of a claimed batch (idempotent). Returns the paths written. */
export async function writeBatch(deps: ExportDeps, batch: number, claimedAt: number): Promise<{ files: string[]; events: number }> {
  const events = await deps.store.read((rs) => rs.audit.eventsOfBatch(batch));
  const groups = new Map<string, AuditEventRow[]>();
  for (const event of events) {
    const region = String((JSON.parse(event.record) as { awsRegion?: string }).awsRegion ?? 'us-east-1');
    const path = logFilePath(event.account_id, region, batch, claimedAt);
    groups.set(path, [...(groups.get(path) ?? []), event]);
  }
  const files: string[] = [];
  for (const [path, group] of groups) {
    writeAtomically(join(deps.dir, path), logFileBody(group));
    files.push(path);
  }
  return { files, events: events.length };
}

/** Exports everything not yet exported: finishes a batch left claimed, then claims and writes new ones. */
export async function exportPending(deps: ExportDeps): Promise<ExportResult> {
  const result: ExportResult = { batches: [], files: [], events: 0 };
  await indexPending(deps.store);
  for (let round = 0; round < MAX_BATCHES_PER_RUN; round++) {
    const cursor = await deps.store.read((rs) => rs.audit.exportCursor());
    if (cursor.claimedBatch > cursor.writtenBatch) {
      // Ours from a crash, or another instance's in progress: writing it again is harmless.
      const written = await writeBatch(deps, cursor.claimedBatch, cursor.claimedAt);
      if (await deps.store.read((rs) => rs.audit.completeExportBatch(cursor.claimedBatch))) {
        result.batches.push(cursor.claimedBatch);
        result.files.push(...written.files);
        result.events += written.events;
      }
      continue;
    }
    if (!(await deps.store.read((rs) => rs.audit.hasUnexported()))) break;
    const now = deps.clock.now();
    await deps.store.transaction((tx) => tx.audit.claimExportBatch(now, deps.maxEventsPerBatch ?? DEFAULT_BATCH_EVENTS));
  }
  return result;
}

/** Runs the export now and then every five minutes; returns the function that stops it. */
export function startExporter(deps: ExportDeps, onError: (error: unknown) => void, intervalMs = EXPORT_INTERVAL_MS): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running.then(() => exportPending(deps)).catch(onError);
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
