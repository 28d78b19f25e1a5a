// The e2e suites run the bundles (`packages/*/dist`), and `npm run test:all` does not build.
// So each test process builds once, when a bundle is missing or older than any source file.
// node --test runs files in parallel: a lock directory keeps two processes from writing the
// bundles at once (and a reader from starting a bundle while another process rewrites it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_BUNDLE = join(REPO, 'packages/cli/dist/keyless.mjs');
export const SERVER_BUNDLE = join(REPO, 'packages/server/dist/main.mjs');
/** The published binary: routes `serve`/`admin` to the server bundle, the rest to the CLI bundle. */
export const KEYLESS_BIN = join(REPO, 'packages/keyless/bin/keyless.mjs');

const SOURCES = ['packages/protocol/src', 'packages/cli/src', 'packages/server/src', 'packages/server/package.json', 'scripts/build.mjs'];
const LOCK_WAIT_MS = 60_000;
const STALE_LOCK_MS = 60_000;

let built = false;

export function ensureBuilt(): void {
  if (built) return;
  if (isStale()) {
    withLock(() => {
      if (isStale()) build();
    });
  }
  built = true;
}

function build(): void {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`node scripts/build.mjs failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newestSource(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

function isStale(): boolean {
  const oldestBundle = Math.min(mtime(CLI_BUNDLE), mtime(SERVER_BUNDLE));
  if (oldestBundle < 0) return true;
  return SOURCES.some((source) => newestSource(join(REPO, source)) > oldestBundle);
}

function withLock(work: () => void): void {
  const lock = join(tmpdir(), `keyless-e2e-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 16)}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A process killed while building leaves its lock behind.
      if (Date.now() - mtime(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
