// `keyless admin backup` while a real `keyless serve` (SQLite) refreshes under load (issues 18, 20):
// no refresh fails during the copy, and a server started on the copy (with the master key) serves
// the sessions as they were at that moment — a session idle since then refreshes, a session that
// refreshed after the copy is signed out, as the README says.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { newClient, refresh, signIn, tokenRequest, CLIENT_ID, type Client } from './support/audit-login.ts';
import { ensureBuilt } from './support/build.ts';
import { cleanUp, cleanEnv, e2eTest, runKeyless } from './support/processes.ts';
import { startServe } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

const ROOT = { email: 'backup@example.com', password: 'backup test passphrase 1' };
const LOADED = 8;

before(() => ensureBuilt());
after(() => cleanUp());

e2eTest('a backup taken under refresh load restores: the idle session refreshes from the copy, a later-refreshed one is signed out', { timeout: 120_000 }, async () => {
  const dataDir = makeTempDir('backup-live');
  const env = { KEYLESS_DATA_DIR: dataDir, KEYLESS_BOOTSTRAP_EMAIL: ROOT.email, KEYLESS_BOOTSTRAP_PASSWORD: ROOT.password, KEYLESS_LOG_LEVEL: 'warn' };
  const live = await startServe(env);
  const cookie = await signIn(live.url, ROOT);
  const idle = await newClient(live.url, cookie);
  const loaded: Client[] = await Promise.all(Array.from({ length: LOADED }, () => newClient(live.url, cookie)));

  let running = true;
  let refreshed = 0;
  const loops = loaded.map(async (client) => {
    while (running) {
      assert.equal(await refresh(live.url, client), true, 'every refresh during the backup answers');
      refreshed++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const copy = join(makeTempDir('backup-copy'), 'keyless-backup.db');
  const before = refreshed;
  const backup = await runKeyless(['admin', 'backup', copy, '--json'], { env: cleanEnv({ KEYLESS_DATA_DIR: dataDir }) });
  const report = JSON.parse(backup.stdout) as { file: string; bytes: number; masterKey: string };
  await new Promise((resolve) => setTimeout(resolve, 300));
  running = false;
  await Promise.all(loops);
  assert.ok(refreshed > before, 'refreshes went on while the copy was made');
  assert.equal(report.file, copy);
  assert.equal(statSync(copy).mode & 0o777, 0o600);
  assert.equal(report.masterKey, join(dataDir, 'master.key'));
  await live.proc.stop();

  // Restore: the copy as the database of a new data directory, with the installation's master key.
  const restoredDir = makeTempDir('backup-restored');
  mkdirSync(restoredDir, { recursive: true });
  copyFileSync(copy, join(restoredDir, 'keyless.db'));
  copyFileSync(join(dataDir, 'master.key'), join(restoredDir, 'master.key'));
  const restored = await startServe({ ...env, KEYLESS_DATA_DIR: restoredDir });
  try {
    assert.equal(await refresh(restored.url, idle), true, 'the session idle since the backup refreshes from the copy');
    // A loaded client's latest token was issued after the copy: the copy holds its predecessor,
    // already consumed, so presenting the newer one finds no token at all.
    const later = loaded[0]!;
    const answer = await tokenRequest(restored.url, later.key, { clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: later.refreshToken });
    assert.equal(answer.status, 401);
    assert.equal(((await answer.json()) as { error: string }).error, 'TOKEN_EXPIRED');
  } finally {
    await restored.proc.stop();
  }

  // The backup refuses to overwrite, and says why.
  await assert.rejects(runKeyless(['admin', 'backup', copy], { env: cleanEnv({ KEYLESS_DATA_DIR: dataDir }) }), /exists already; the backup does not overwrite a file/);
});
