// Bundles the CLI and the server into plain ESM files, so neither runs TypeScript at start-up.
// The CLI bundle must stay small and free of native modules: `credential-process` runs before
// every AWS CLI call. Heavy CLI commands are split into chunks loaded only when used.
//
//   node scripts/build.mjs [cli|server] [--if-stale]
//
// `cli` or `server` builds one half. Each half's output directory is emptied first, so no chunk
// of an earlier build stays behind. --if-stale builds only a half whose bundle is missing or
// older than one of its sources (the test runner and the e2e suites ask for that). Builds take a
// lock directory, so two processes never write the bundles at once.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const LOCK = join(tmpdir(), `keyless-e2e-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 16)}.lock`);
const LOCK_WAIT_MS = 120_000;
/** A process killed while building leaves its lock behind; no build takes this long. */
const STALE_LOCK_MS = 60_000;

const deps = (pkg) => Object.keys(JSON.parse(readFileSync(join(REPO, `packages/${pkg}/package.json`), 'utf8')).dependencies ?? {})
  .filter((name) => !name.startsWith('@keyless/'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  outExtension: { '.js': '.mjs' },
  absWorkingDir: REPO,
};

const halves = {
  cli: {
    bundle: 'packages/cli/dist/keyless.mjs',
    alsoBuilt: ['packages/cli/dist/credential-process.cjs'],
    sources: ['packages/protocol/src', 'packages/cli/src', 'packages/cli/package.json', 'package-lock.json', 'scripts/build.mjs'],
    options: () => ({
      ...common,
      entryPoints: { keyless: 'packages/cli/src/main.ts' },
      outdir: 'packages/cli/dist',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      // Everything the CLI needs is bundled in, so start-up reads a handful of files, not hundreds.
      banner: { js: "import { createRequire as __kr } from 'node:module'; const require = __kr(import.meta.url);" },
    }),
    // credential-process alone, as CommonJS: no ES module loader to start (credential-process-main.ts).
    extra: () => ({
      ...common,
      format: 'cjs',
      entryPoints: { 'credential-process': 'packages/cli/src/credential-process-main.ts' },
      outdir: 'packages/cli/dist',
      outExtension: { '.js': '.cjs' },
      // Prompts and the browser opener are never reached from credential-process; kept out of the
      // file Node parses before every AWS CLI call (the package's dependencies, if ever needed).
      external: ['@inquirer/prompts', 'open', 'commander'],
      // builtins.ts reads import.meta only where there is no require, which here there always is.
      logOverride: { 'empty-import-meta': 'silent' },
    }),
  },
  server: {
    bundle: 'packages/server/dist/main.mjs',
    sources: ['packages/protocol/src', 'packages/server/src', 'packages/server/package.json', 'scripts/build.mjs'],
    options: () => ({
      ...common,
      entryPoints: { main: 'packages/server/src/main.ts' },
      outdir: 'packages/server/dist',
      external: deps('server'),
    }),
  },
};

const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const only = args.find((arg) => !arg.startsWith('--'));
if (only !== undefined && !(only in halves)) {
  console.error(`usage: node scripts/build.mjs [cli|server] [--if-stale]`);
  process.exit(2);
}
const wanted = only ? [only] : Object.keys(halves);
const toBuild = () => wanted.filter((name) => !ifStale || isStale(halves[name]));

if (toBuild().length > 0) {
  await withLock(async () => {
    // Checked again under the lock: another process may have built them while we waited.
    await Promise.all(
      toBuild().map((name) => {
        const options = halves[name].options();
        rmSync(join(REPO, options.outdir), { recursive: true, force: true });
        return Promise.all([build(options), halves[name].extra && build(halves[name].extra())]);
      }),
    );
  });
}

function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

function newestSource(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

function isStale(half) {
  // The oldest output counts; a missing one (-1) makes the half stale.
  const built = Math.min(...[half.bundle, ...(half.alsoBuilt ?? [])].map((path) => mtime(join(REPO, path))));
  return built < 0 || half.sources.some((source) => newestSource(join(REPO, source)) > built);
}

async function withLock(work) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - mtime(LOCK) > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
