// A cross-process lock without native modules, so that when fifty `terraform`/`aws` calls run
// `keyless credential-process` at once, one of them refreshes and the others wait for its result
// (PROTOCOL.md §2: the refresh token rotates on every call, so racing refreshes would each spend it).
//
// The lock is a file created with O_CREAT|O_EXCL (`open(path, 'wx')`) beside the file it guards,
// holding its owner's pid, host, a random nonce and the time. Exclusive create is atomic on every
// local filesystem (and on NFSv3+), so exactly one creator wins. Waiters poll with small jittered
// sleeps; between polls they ask `settledWhileWaiting` whether the owner's work already answers
// them (the cache became fresh), so most never take the lock at all.
//
// A lock whose owner died (same host, `kill(pid, 0)` answers ESRCH) or that is older than
// `staleMs` is broken. Holders keep the lock for one refresh — at most its 20 s HTTP timeout — so
// 60 s old means hung or killed. The danger in breaking is removing a *live* lock: B judges lock L
// stale, A breaks L and takes the lock (L'), then B deletes what it thinks is L — and A and a
// third process both hold the lock. POSIX has no "unlink if unchanged", so removals are
// serialised instead: every removal of a lock file — breaking a stale one and releasing one's
// own — happens holding a second, short-lived guard file (`<lock>.guard`, same exclusive
// create), and under the guard re-reads the lock and deletes it only if it is still the very lock
// meant (its content, unique by the nonce). Between that re-read and the unlink nobody else can
// remove it (they would need the guard) and nobody can create one (the path is taken), so the
// unlink removes exactly what was checked. A holder that outlived `staleMs` likewise never deletes
// its successor's lock on release.
//
// The guard is held for two filesystem calls. One left by a process killed in that instant is
// broken by pid or after GUARD_STALE_MS without ceremony: it takes a second fault at the same
// moment for that to matter. Even then the worst case is two processes refreshing at once with
// the same refresh token, which the token endpoint answers identically within 60 s (PROTOCOL.md
// §2: a retrying client "must not lose its session").
import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';

export interface FileLockOptions<T> {
  /** Stop waiting after this long and throw FileLockTimeoutError. Default 30 s. */
  timeoutMs?: number;
  /** A lock older than this is abandoned. Default 60 s. */
  staleMs?: number;
  /** Asked between attempts; a value other than undefined ends the wait without taking the lock. */
  settledWhileWaiting?: () => Promise<T | undefined>;
  /** Time and sleeping: real by default; a wall clock, because lock files carry times across processes. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
  /** Whether a process of this host is running. Default: `process.kill(pid, 0)`. */
  isProcessAlive?: (pid: number) => boolean;
  /** Who we are, written into the lock. Defaults: this process and host. */
  owner?: { pid: number; host: string };
}

export class FileLockTimeoutError extends Error {
  override readonly name = 'FileLockTimeoutError';
  constructor(
    readonly lockPath: string,
    readonly waitedMs: number,
  ) {
    super(`another process held ${lockPath} for more than ${Math.round(waitedMs / 1000)} s`);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** What a lock file held when we looked: its raw content identifies it. */
interface SeenLock {
  content: string;
  mtimeMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_STALE_MS = 60_000;
const GUARD_STALE_MS = 20_000;

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Runs `critical` holding the lock file `lockPath` (its directory must exist); always releases it. */
export async function withFileLock<T>(lockPath: string, critical: () => Promise<T>, options: FileLockOptions<T> = {}): Promise<T> {
  const clock = options.clock ?? realClock;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const isAlive = options.isProcessAlive ?? isProcessAlive;
  const me = options.owner ?? { pid: process.pid, host: osHostname() };
  const started = clock.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  const guard = { clock, me, isAlive };
  let content: string;
  for (;;) {
    content = ownerContent(me, clock.now());
    if (await tryCreate(lockPath, content)) break;
    const held = await look(lockPath);
    if (held === undefined) continue; // released between our attempt and our look: try again at once
    if (isStale(held, { now: clock.now(), staleMs, me, isAlive })) {
      await removeLock(lockPath, (current) => sameLock(current, held), guard);
      continue;
    }
    const settled = await options.settledWhileWaiting?.();
    if (settled !== undefined) return settled;
    if (clock.now() >= deadline) throw new FileLockTimeoutError(lockPath, clock.now() - started);
    // 10–40 ms with jitter: short against a refresh of ~100 ms, and fifty waiters do not poll in step.
    await clock.sleep(10 + Math.random() * 30);
  }
  try {
    return await critical();
  } finally {
    await removeLock(lockPath, (current) => current.content === content, guard);
  }
}

const ownerContent = (me: { pid: number; host: string }, now: number) =>
  JSON.stringify({ ...me, nonce: randomBytes(12).toString('hex'), createdAt: now } satisfies LockOwner);

/** Exclusive create. False when the lock exists. */
async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(lockPath).catch(() => {});
    throw error;
  }
  await handle.close();
  return true;
}

/** The lock as it is now, or undefined when there is none. Content and mtime come from one open file. */
async function look(path: string): Promise<SeenLock | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    return { content: await handle.readFile('utf8'), mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockOwner> | null;
    if (!value || !Number.isSafeInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    if (typeof value.host !== 'string' || typeof value.nonce !== 'string' || !Number.isFinite(value.createdAt)) return undefined;
    return value as LockOwner;
  } catch {
    return undefined; // being written right now, or not ours: judged by age alone
  }
}

function isStale(held: SeenLock, input: { now: number; staleMs: number; me: { host: string }; isAlive: (pid: number) => boolean }): boolean {
  const owner = parseOwner(held.content);
  // A pid means something only on its own host (and outside containers with their own pid space,
  // which have their own hostname too): elsewhere, age alone decides.
  if (owner && owner.host === input.me.host && !input.isAlive(owner.pid)) return true;
  // The later of the owner's clock and the filesystem's, so neither running behind breaks a live lock.
  const since = Math.max(owner?.createdAt ?? 0, held.mtimeMs);
  return input.now - since > input.staleMs;
}

/** The nonce makes every complete lock unique; an empty one (its owner is writing it) is told apart by its mtime. */
const sameLock = (a: SeenLock, b: SeenLock) => a.content === b.content && (a.content !== '' || a.mtimeMs === b.mtimeMs);

interface GuardContext {
  clock: { now(): number; sleep(ms: number): Promise<void> };
  me: { pid: number; host: string };
  isAlive: (pid: number) => boolean;
}

/** Deletes the lock at `lockPath` if it is the one `isIt` recognises, holding the guard (see the header). */
async function removeLock(lockPath: string, isIt: (current: SeenLock) => boolean, context: GuardContext): Promise<void> {
  const guardPath = `${lockPath}.guard`;
  const mine = ownerContent(context.me, context.clock.now());
  for (;;) {
    if (await tryCreate(guardPath, mine)) break;
    const guard = await look(guardPath);
    if (guard !== undefined && isStale(guard, { ...context, now: context.clock.now(), staleMs: GUARD_STALE_MS })) {
      await unlink(guardPath).catch(ignoreMissing);
    } else {
      await context.clock.sleep(1 + Math.random() * 4);
    }
  }
  try {
    const current = await look(lockPath);
    if (current !== undefined && isIt(current)) await unlink(lockPath).catch(ignoreMissing);
  } finally {
    // Ours unless it was broken as stale meanwhile, which two quick calls never make it.
    if ((await look(guardPath))?.content === mine) await unlink(guardPath).catch(ignoreMissing);
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/** `kill(pid, 0)` sends nothing; ESRCH means no such process, EPERM one we may not signal (alive). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
