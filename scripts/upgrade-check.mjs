// The upgrade and rollback rule (README, "Upgrades and rollback"), checked with real builds on one
// PostgreSQL database:
//   1. the previous release (built from git) serves refreshes under load;
//   2. this checkout's build starts on the same database and migrates it, while the old one serves:
//      the old instance must answer every refresh 200 — no 5xx (no deadlock, no lock wait past the
//      clients' patience);
//   3. the new instance serves the sessions the old one made;
//   4. the old instance restarts on the migrated database (a rolling upgrade that restarts it, or a
//      one-step rollback) and every session refreshes on it.
//
//   node scripts/upgrade-check.mjs --previous REF [--keep]
//
// REF (the release before this one, e.g. the last commit that landed) is checked out into a
// temporary worktree, installed with `npm ci` and built; it runs under its own Node.js when it
// brings one (node_modules/.bin/node), else under this one. Needs PostgreSQL
// (KEYLESS_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). Exits 1 on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { dpopSigner } from '../bench/lib/dpop.mjs';
import { freePort } from '../bench/lib/servers.mjs';
import { createLoginSessions, signInRoot } from '../bench/lib/sessions.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
const ROOT_USER = { email: 'upgrade@example.com', password: 'upgrade check passphrase 1' };
const CLIENTS = 16;
const { values } = parseArgs({ options: { previous: { type: 'string' }, keep: { type: 'boolean', default: false } } });

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
if (!values.previous) throw new Error('--previous REF: the release before this one (a commit or tag)');
const previous = values.previous;
const step = (text) => process.stderr.write(`\n== ${text}\n`);

// 1. The previous release, built.
const work = mkdtempSync(join(tmpdir(), 'keyless-upgrade-'));
const oldTree = join(work, 'previous');
step(`building the previous release ${git('rev-parse', '--short', previous)} in ${oldTree}`);
git('worktree', 'add', '--detach', oldTree, previous);
const cleanUp = () => {
  if (values.keep) return;
  try {
    git('worktree', 'remove', '--force', oldTree);
  } catch {}
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanUp);
execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: oldTree, stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: oldTree, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

// A fresh database, and one master key for both builds (instances sharing a database share it).
const adminUrl = process.env.KEYLESS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const name = `keyless_upgrade_${randomBytes(5).toString('hex')}`;
await admin.query(`create database ${name}`);
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${name}`;
const masterKey = randomBytes(32).toString('base64');

const servers = [];
async function start(tree, label) {
  const port = await freePort();
  const node = existsSync(join(tree, 'node_modules/.bin/node')) ? join(tree, 'node_modules/.bin/node') : process.execPath;
  const child = spawn(node, [join(tree, 'packages/server/dist/main.mjs'), 'serve'], {
    env: { ...process.env, KEYLESS_PORT: String(port), KEYLESS_DATA_DIR: join(work, `data-${label}`), KEYLESS_DATABASE_URL: databaseUrl.toString(), KEYLESS_MASTER_KEY: masterKey, KEYLESS_BOOTSTRAP_EMAIL: ROOT_USER.email, KEYLESS_BOOTSTRAP_PASSWORD: ROOT_USER.password, KEYLESS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  servers.push(child);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}) before it answered:\n${output}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${label} did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, child, output: () => output, stop: () => stopChild(child) };
}
function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/** One refresh of `session` at `base`; the status, and the session keeps the rotated token on 200. */
async function refresh(base, session) {
  const url = `${base}/v1/token`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dpop: dpopSigner(session.privateJwk, url)() },
    body: JSON.stringify({ clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: session.refreshToken }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  if (response.status === 200) session.refreshToken = JSON.parse(body).refreshToken;
  return { status: response.status, body };
}

let failed = false;
const check = (ok, text) => {
  process.stderr.write(`${ok ? 'ok  ' : 'FAIL'} ${text}\n`);
  if (!ok) failed = true;
};

try {
  step('the previous release serves');
  let old = await start(oldTree, 'old');
  const sessions = await createLoginSessions(old.base, await signInRoot(old.base, ROOT_USER), CLIENTS);

  step('this build migrates the database while the previous release serves refreshes');
  const statuses = new Map();
  let running = true;
  const loops = sessions.map(async (session) => {
    while (running) {
      const { status, body } = await refresh(old.base, session);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== 200) process.stderr.write(`  old instance answered ${status}: ${body.slice(0, 200)}\n`);
    }
  });
  const current = await start(ROOT, 'new');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  running = false;
  await Promise.all(loops);
  check([...statuses.keys()].every((status) => status === 200), `the previous release answered every refresh during the migration: ${JSON.stringify(Object.fromEntries(statuses))}`);

  step('this build serves the sessions the previous release made');
  const onNew = await Promise.all(sessions.map((session) => refresh(current.base, session)));
  check(onNew.every((r) => r.status === 200), `${onNew.filter((r) => r.status === 200).length}/${sessions.length} sessions refreshed on the new instance`);
  await current.stop();

  step('the previous release restarts on the migrated database (rolling restart, rollback)');
  await old.stop();
  try {
    old = await start(oldTree, 'old-again');
    const onOld = await Promise.all(sessions.map((session) => refresh(old.base, session)));
    check(onOld.every((r) => r.status === 200), `${onOld.filter((r) => r.status === 200).length}/${sessions.length} sessions refreshed on the restarted previous release`);
  } catch (error) {
    check(false, `the previous release did not start again: ${error.message}`);
  }
} finally {
  await Promise.all(servers.map(stopChild));
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
}
process.exitCode = failed ? 1 : 0;
