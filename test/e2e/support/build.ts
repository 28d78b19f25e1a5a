// The e2e suites run the bundles (`packages/*/dist`), and `npm run test:all` does not build.
// scripts/test.mjs builds them before the run when a source is newer; ensureBuilt() does the same
// for a test file run on its own (`node --import tsx --test test/e2e/x.test.ts`). The staleness
// check and the lock that keeps two processes from writing the bundles at once are in
// scripts/build.mjs (--if-stale), so every caller agrees on them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_BUNDLE = join(REPO, 'packages/server/dist/main.mjs');
/** The published binary: routes `serve`/`admin` to the server bundle, the rest to the CLI bundle. */
export const KEYLESS_BIN = join(REPO, 'packages/keyless/bin/keyless.cjs');

let built = false;

/** Builds both bundles unless they are newer than every source (once per test process). */
export function ensureBuilt(): void {
  if (built) return;
  buildIfStale();
  built = true;
}

/** `node scripts/build.mjs [half] --if-stale`: builds what is missing or older than its sources. */
export function buildIfStale(half?: 'cli' | 'server'): void {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', ...(half ? [half] : []), '--if-stale'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(`node scripts/build.mjs --if-stale failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}
