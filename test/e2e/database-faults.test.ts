// The database fails under a serving Keyless (issue 20): PostgreSQL terminates the server's
// connections (what a restart or a failover does, SQLSTATE 57P01), the TCP link between them is
// reset, or it stops carrying bytes (a partition). A real `keyless serve` (the built bundle, a child
// process) reaches PostgreSQL through a TCP proxy the test controls, while clients — each its own
// login session and DPoP key — keep refreshing. What must hold each time:
//   - the server process never dies;
//   - a refresh the fault cut answers 503 with Retry-After (the SDKs' cue to retry), never a 500,
//     and within the statement timeout, never hanging;
//   - /readyz says not-ready while the database does not answer, and ready again after;
//   - once the database is back every client refreshes with the token it holds: no session is
//     lost (a rotation whose answer the fault swallowed is answered again: the retry window);
//   - the log says what happened in a warn line, without a stack.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, type TestContext } from 'node:test';
import pg from 'pg';
import { CLIENT_ID, newClient, signIn, tokenRequest, type Client } from './support/audit-login.ts';
import { ensureBuilt } from './support/build.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { startServe, type Serving } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { makeTempDir } from './support/tmp.ts';

const POSTGRES_URL = process.env.KEYLESS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = { email: 'faults@example.com', password: 'database faults passphrase 1' };
const CLIENTS = 8;
/** The server's statement timeout here; a refresh cut by a partition answers within about twice this. */
const STATEMENT_TIMEOUT_MS = 1000;

interface Outcomes {
  ok: number;
  unavailable: number;
  /** Anything but 200 or a 503 with Retry-After, with what it was. */
  other: string[];
  /** The longest a request took, in ms. */
  slowestMs: number;
}

/** One refresh that may meet the fault: 200 (the client takes the rotated token) or 503 (it keeps its token). */
async function refreshThroughFault(base: string, client: Client, outcomes: Outcomes): Promise<void> {
  const started = Date.now();
  try {
    const response = await tokenRequest(base, client.key, { clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: client.refreshToken }, { timeoutMs: 15_000 });
    const text = await response.text();
    if (response.status === 200) {
      const body = JSON.parse(text) as { refreshToken: string; accessToken: Client['credentials'] };
      client.refreshToken = body.refreshToken;
      client.received.push(body.accessToken.accessKeyId);
      outcomes.ok++;
    } else if (response.status === 503 && response.headers.get('retry-after') === '1') {
      assert.match(text, /"error":"server_error"/);
      outcomes.unavailable++;
    } else {
      outcomes.other.push(`${response.status} ${text}`);
    }
  } catch (error) {
    outcomes.other.push(`no answer: ${(error as Error).message}`);
  } finally {
    outcomes.slowestMs = Math.max(outcomes.slowestMs, Date.now() - started);
  }
}

const readiness = async (base: string) => (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) })).status;

describe('database faults under refresh load (PostgreSQL through a TCP proxy)', () => {
  let admin: pg.Client;
  let databaseUrl: URL;
  let proxy: TcpProxy;
  let server: Serving;
  let clients: Client[];
  let skip: string | undefined;

  before(async () => {
    ensureBuilt();
    admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    admin.on('error', () => {});
    try {
      await admin.connect();
    } catch (error) {
      if (process.env.CI) throw error;
      skip = `PostgreSQL at ${POSTGRES_URL} is unreachable: ${(error as Error).message}`;
      return;
    }
    const name = `keyless_faults_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${name}`);
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    databaseUrl = new URL(POSTGRES_URL);
    databaseUrl.pathname = `/${name}`;
    const throughProxy = new URL(databaseUrl);
    throughProxy.port = String(proxy.port);
    server = await startServe({
      KEYLESS_DATA_DIR: makeTempDir('faults'),
      KEYLESS_DATABASE_URL: throughProxy.toString(),
      KEYLESS_DATABASE_CONNECT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      KEYLESS_DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      KEYLESS_BOOTSTRAP_EMAIL: ROOT.email,
      KEYLESS_BOOTSTRAP_PASSWORD: ROOT.password,
      KEYLESS_LOG_LEVEL: 'warn',
    });
    const cookie = await signIn(server.url, ROOT);
    clients = await Promise.all(Array.from({ length: CLIENTS }, () => newClient(server.url, cookie)));
  });

  after(async () => {
    await server?.proc.stop();
    await proxy?.close();
    if (databaseUrl) {
      const name = databaseUrl.pathname.slice(1);
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    }
    await admin?.end().catch(() => {});
    await cleanUp();
  });

  /** Every client refreshing in a loop while `fault` runs, then until `settleMs` after it; the outcomes. */
  async function underLoad(fault: () => Promise<void>, settleMs: number): Promise<Outcomes> {
    const outcomes: Outcomes = { ok: 0, unavailable: 0, other: [], slowestMs: 0 };
    let running = true;
    const loops = clients.map(async (client) => {
      while (running) await refreshThroughFault(server.url, client, outcomes);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fault();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    running = false;
    await Promise.all(loops);
    return outcomes;
  }

  /** After the fault: the process lives, every session refreshes, the log names the fault without a stack. */
  async function assertRecovered(t: TestContext, outcomes: Outcomes, logged: RegExp): Promise<void> {
    t.diagnostic(`${outcomes.ok} refreshes answered 200, ${outcomes.unavailable} answered 503; slowest ${outcomes.slowestMs} ms`);
    assert.deepEqual(outcomes.other, [], 'every answer is a 200 or a 503 with Retry-After');
    assert.equal(server.proc.child.exitCode, null, `the server is still running:\n${server.proc.stderr()}`);
    assert.equal(await readiness(server.url), 200);
    for (const client of clients) {
      const once: Outcomes = { ok: 0, unavailable: 0, other: [], slowestMs: 0 };
      for (let attempt = 0; attempt < 5 && once.ok === 0; attempt++) await refreshThroughFault(server.url, client, once);
      assert.equal(once.ok, 1, `the session refreshes after the fault (${once.other.join('; ')})`);
    }
    // pino writes the log to stdout; the process's own messages (and a crash report) go to stderr.
    assert.match(server.proc.stdout(), logged);
    const output = server.proc.stdout() + server.proc.stderr();
    assert.doesNotMatch(output, /Unhandled 'error' event|\n\s+at |"stack"/, 'no crash report and no stack in the log');
  }

  e2eTest('PostgreSQL terminates every server connection three times (57P01): no crash, 503s at most, no session lost', { timeout: 90_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const terminate = () => admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseUrl.pathname.slice(1)]);
    const outcomes = await underLoad(async () => {
      for (let i = 0; i < 3; i++) {
        await terminate();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }, 500);
    assert.ok(outcomes.ok > 0, 'refreshes went on around the terminations');
    await assertRecovered(t, outcomes, /database connection lost; the pool opens another/);
    assert.match(server.proc.stdout(), /"database":"57P01: terminating connection due to administrator command"/, 'the cause is named');
  });

  e2eTest('the TCP link to PostgreSQL is reset under load: no crash, 503s at most, no session lost', { timeout: 90_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const outcomes = await underLoad(async () => proxy.reset(), 500);
    await assertRecovered(t, outcomes, /database connection lost; the pool opens another/);
  });

  e2eTest('a partition: refreshes answer 503 within the timeouts, /readyz says not-ready, and service resumes when the link is mended', { timeout: 90_000 }, async (t) => {
    if (skip) return t.skip(skip);
    let readyDuringPartition = 0;
    const outcomes = await underLoad(async () => {
      proxy.partition();
      // Long enough for every connection the pool holds to time out at least once.
      await new Promise((resolve) => setTimeout(resolve, 4 * STATEMENT_TIMEOUT_MS));
      readyDuringPartition = await readiness(server.url);
      proxy.mend();
    }, 1000);
    assert.equal(readyDuringPartition, 503, 'not ready while the database does not answer');
    assert.ok(outcomes.unavailable > 0, 'the partition was met');
    assert.ok(outcomes.slowestMs < 4 * STATEMENT_TIMEOUT_MS + 2000, `no request waited on the partition beyond the timeouts (slowest ${outcomes.slowestMs} ms)`);
    await assertRecovered(t, outcomes, /database unavailable: answering 503/);
  });
});
