// `keyless serve` says what started and what stopped (issue 20): the start-up log line names the
// version, the backend and the schema version; on SIGTERM the instance reports not-ready, finishes
// what is in flight, logs the start and the end of its shutdown, and exits 0.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { ensureBuilt } from './support/build.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { startServe } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../packages/server/package.json', import.meta.url), 'utf8')) as { version: string }).version;

before(() => ensureBuilt());
after(() => cleanUp());

e2eTest('the start-up line names version, backend and schema; SIGTERM logs the shutdown from start to end and exits 0', { timeout: 60_000 }, async () => {
  const server = await startServe({ KEYLESS_DATA_DIR: makeTempDir('lifecycle'), KEYLESS_LOG_LEVEL: 'info' });
  const [started] = await server.proc.waitFor('stdout', /\{[^\n]*"msg":"Keyless started"[^\n]*\}/, 10_000);
  const line = JSON.parse(started!) as Record<string, unknown>;
  assert.equal(line.version, VERSION);
  assert.equal(line.backend, 'sqlite');
  assert.match(String(line.schema), /^\d{4}_\w+/);
  assert.equal(line.node, process.version);
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

  server.proc.child.kill('SIGTERM');
  const exit = await server.proc.exited(15_000);
  assert.deepEqual(exit, { code: 0, signal: null });
  const messages = server.proc.stdout().trim().split('\n').map((text) => (JSON.parse(text) as { msg: string }).msg);
  const shuttingDown = messages.indexOf('shutting down: not ready, finishing requests in flight');
  assert.ok(shuttingDown >= 0 && messages.indexOf('shut down') > shuttingDown, messages.join('\n'));
});
