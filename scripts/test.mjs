// Runs every test file (`*.test.ts` beside the code, and test/e2e) with node:test through tsx.
// The files are found here rather than by --test's globs, so a directory argument works the same way.
//
//   node scripts/test.mjs [DIR|FILE …]     KEYLESS_TEST_CONCURRENCY=N: files run at once (default 2)
//
// Afterwards the slowest files are listed on stderr (scripts/file-times-reporter.mjs), and the run
// ends with `tests: N passed, N failed, N skipped` and the failing tests' names, on every run
// (counted by scripts/test-results.mjs from the reporter's events).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SLOWEST_SHOWN = 20;
const script = (name) => fileURLToPath(new URL(name, import.meta.url));

// The suite is measured on the Node.js the project ships (node_modules/.bin/node, Node 24 from the
// npm registry, which npm scripts put first on PATH); on an older one the run is not the one CI vouches for.
const MINIMUM_NODE_MAJOR = 22;
const nodeMajor = Number(process.versions.node.split('.')[0]);
console.log(`node ${process.version} (${process.execPath})`);
if (nodeMajor < MINIMUM_NODE_MAJOR) {
  console.error(`The tests need Node.js ${MINIMUM_NODE_MAJOR} or later; this is ${process.version}. Run them through npm (npm test, npm run test:all), which uses the Node.js 24 that npm ci installs, or install Node.js 24.`);
  process.exit(1);
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['packages', 'test'];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.test.ts')) files.push(path);
  }
};
for (const root of roots) {
  if (existsSync(root) && statSync(root).isFile()) files.push(root);
  else if (existsSync(root)) walk(root);
}
// The longest files first (the e2e suites, then the storage contract on both backends), so the
// run does not end with one of them alone while the other slots have nothing left to do.
const weight = (file) => (/(^|\/)test\/e2e\//.test(file) ? 0 : file.endsWith('.contract.test.ts') ? 1 : 2);
files.sort((a, b) => weight(a) - weight(b) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// The bundles the e2e suites and the CLI's process tests run, built here once when a source is
// newer: a test file that rebuilt them while another file ran them would pull the files from
// under that one's child processes.
const build = spawnSync(process.execPath, [script('build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// node:test runs os.availableParallelism() - 1 files at once by default: one, on a two-core machine, where most
// files spend their time waiting on child processes, PostgreSQL, a browser or argon2.
const concurrency = process.env.KEYLESS_TEST_CONCURRENCY ?? '2';
const timesDir = mkdtempSync(join(tmpdir(), 'keyless-test-times-'));
const times = join(timesDir, 'files.jsonl');
const results = join(timesDir, 'tests.jsonl');
// No --test-force-exit: in Node 20 it ends a file's process before node:test has read that
// file's last reports, so passed tests went missing from the count (216 of 223 in one run of the
// SigV4 files; 1,689–1,702 of 1,702 in full runs). A test that times out while a child process or
// socket it opened still runs would then keep its file, and the run, waiting on that handle: the
// deadline below ends such a run, failed, naming the files that never finished.
const deadlineMinutes = Number(process.env.KEYLESS_TEST_DEADLINE_MINUTES ?? '10');
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${script('file-times-reporter.mjs')}`, '--test-reporter-destination=stderr',
    ...files,
  ],
  // Its own process group, so the deadline can end every process the run started.
  { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, KEYLESS_TEST_TIMES: times, KEYLESS_TEST_RESULTS: results }, detached: true },
);
// Ctrl-C and a CI's stop reach this process's group only: pass them on to the run's.
for (const name of ['SIGINT', 'SIGTERM']) process.once(name, () => process.kill(-child.pid, name));
let overran = false;
const deadline = setTimeout(() => {
  overran = true;
  const finished = new Set(readTimes().map((row) => row.file));
  const unfinished = files.filter((file) => !finished.has(resolve(file)));
  process.stderr.write(`\nThe test run passed its ${deadlineMinutes}-minute deadline (KEYLESS_TEST_DEADLINE_MINUTES). Files that never finished:\n${unfinished.map((f) => `  ${f}`).join('\n')}\n`);
  process.kill(-child.pid, 'SIGKILL');
}, deadlineMinutes * 60_000);
// The spec output passes straight through.
child.stdout.pipe(process.stdout, { end: false });
const [code, signal] = await once(child, 'close');
clearTimeout(deadline);
printSlowest();
const failed = printClosingLine();
rmSync(timesDir, { recursive: true, force: true });
process.exit(overran || failed > 0 ? 1 : (code ?? (signal ? 1 : 0)));

/**
 * The run's last lines, green or red: the counts in the plain form CI reads ("N passed, N failed,
 * N skipped"; todo tests count as skipped), then the failing tests by file and name. Counted from
 * the reporter's events (scripts/test-results.mjs), not from spec's text. Returns the failures.
 */
function printClosingLine() {
  const rows = existsSync(results) ? readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  const count = (...statuses) => rows.filter((row) => statuses.includes(row.status)).length;
  const failures = rows.filter((row) => row.status === 'fail');
  const cwd = `${process.cwd()}/`;
  const shown = (file) => (file?.startsWith(cwd) ? file.slice(cwd.length) : file);
  const lines = [`\ntests: ${count('pass')} passed, ${failures.length} failed, ${count('skip', 'todo')} skipped`];
  if (failures.length > 0) lines.push('failing tests:', ...failures.map((row) => `  ${shown(row.file)}: ${row.name.replace(row.file, shown(row.file))}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return failures.length;
}

/** The files that have finished so far, with their times (scripts/file-times-reporter.mjs). */
function readTimes() {
  if (!existsSync(times)) return [];
  return readFileSync(times, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function printSlowest() {
  const rows = readTimes().sort((a, b) => b.ms - a.ms);
  if (rows.length === 0) return;
  const cwd = `${process.cwd()}/`;
  const seconds = (ms) => (ms / 1000).toFixed(1).padStart(7);
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  const lines = [`\nSlowest test files (each one's process from start to exit; ${rows.length} files, ${seconds(total).trim()} s in all, ${concurrency} at a time):`];
  for (const row of rows.slice(0, SLOWEST_SHOWN)) lines.push(`${seconds(row.ms)} s  ${row.file.startsWith(cwd) ? row.file.slice(cwd.length) : row.file}${row.passed ? '' : '  (failed)'}`);
  if (rows.length > SLOWEST_SHOWN) lines.push(`${seconds(rows.slice(SLOWEST_SHOWN).reduce((sum, row) => sum + row.ms, 0))} s  the other ${rows.length - SLOWEST_SHOWN} files`);
  process.stderr.write(`${lines.join('\n')}\n`);
}
