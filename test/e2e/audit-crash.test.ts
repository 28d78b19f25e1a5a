// The crash test of issue 5: `keyless serve` (the built bundle, a child process) is killed with
// SIGKILL while 50 clients — each its own login session and DPoP key — refresh as fast as they
// can. The database is then opened and held to the audit trail's promise:
//   - every credential a client received (an accessKeyId in a 200 answer) has its successful
//     CreateOAuth2Token event naming that key;
//   - no event lacks its state change: every successful CreateOAuth2Token names a key that is in
//     `credentials`, and every credential has its event;
//   - every rotation is whole: per session, one credential per consumed refresh token plus the
//     first, exactly one live refresh token, and no session revoked by the crash.
// Then the server is started again and every client refreshes with the last token it holds: a
// rotation whose answer the crash swallowed is answered again (the retry window), none is lost.
// Every request is bounded: once the killed server has exited, requests still open are aborted
// (no answer can come; for the client it is an answer the crash swallowed), and a request to the
// restarted server that gets no answer in 30 s fails the test, naming it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fillTemplate } from '../../packages/server/src/store/audit-record-codec.ts';
import { newClient, refresh, signIn, type Client } from './support/audit-login.ts';
import { ensureBuilt } from './support/build.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { startServe, type Serving } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

const CLIENTS = 50;
const ROOT = { email: 'crash@example.com', password: 'crash test passphrase 1' };
const POSTGRES_URL = process.env.KEYLESS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function startServer(dataDir: string, databaseUrl?: string): Promise<Serving> {
  return startServe({
    KEYLESS_DATA_DIR: dataDir,
    KEYLESS_BOOTSTRAP_EMAIL: ROOT.email,
    KEYLESS_BOOTSTRAP_PASSWORD: ROOT.password,
    KEYLESS_LOG_LEVEL: 'warn',
    ...(databaseUrl && { KEYLESS_DATABASE_URL: databaseUrl }),
  });
}

// ---- the database, read behind the server's back --------------------------------------------

interface Snapshot {
  credentials: Array<{ access_key_id: string; login_session_id: string }>;
  tokenEvents: TokenEventRow[];
  refreshTokens: Array<{ digest: string; login_session_id: string; consumed_at: number | null }>;
  sessions: Array<{ id: string; revoked_at: number | null }>;
}

/** A journal row with its record template, if it has one (store/audit-record-codec.ts). */
interface TokenEventRow {
  access_key_id: string | null;
  event_time: number;
  request_id: string;
  event_id: string;
  record: string;
  template_id: string | null;
  template_fills: string | null;
  template_parts: string | null;
}

const QUERIES = {
  credentials: 'select access_key_id, login_session_id from credentials',
  tokenEvents:
    'select e.access_key_id, e.event_time, e.request_id, e.event_id, e.record, e.template_id, e.template_fills, t.parts as template_parts ' +
    "from audit_events e left join audit_record_templates t on t.id = e.template_id where e.event_name = 'CreateOAuth2Token'",
  refreshTokens: 'select digest, login_session_id, consumed_at from refresh_tokens',
  sessions: 'select id, revoked_at from login_sessions',
};

async function snapshot(where: { sqlite?: string; postgres?: string }): Promise<Snapshot> {
  if (where.sqlite) {
    const db = new Database(where.sqlite, { readonly: true });
    try {
      return Object.fromEntries(Object.entries(QUERIES).map(([name, sql]) => [name, db.prepare(sql).all()])) as unknown as Snapshot;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: where.postgres, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(QUERIES)) out[name] = (await client.query(sql)).rows;
    return out as unknown as Snapshot;
  } finally {
    await client.end();
  }
}

/** The row's record: whole, or its template filled (and the template committed with it). */
function recordOf(event: TokenEventRow): string {
  if (event.template_id === null) return event.record;
  assert.ok(event.template_parts, `event ${event.event_id} names template ${event.template_id}, which is not there`);
  return fillTemplate(JSON.parse(event.template_parts) as string[], event);
}

function assertConsistent(state: Snapshot, clients: Client[]): { credentials: number; received: number } {
  const credentialKeys = new Set(state.credentials.map((c) => c.access_key_id));
  const successKeys = new Set<string>();
  for (const event of state.tokenEvents) {
    const record = JSON.parse(recordOf(event)) as { additionalEventData: { success: string }; userIdentity: { accessKeyId?: string } };
    if (record.additionalEventData.success !== 'true') continue;
    assert.ok(event.access_key_id, 'a successful CreateOAuth2Token names the key it issued');
    assert.equal(record.userIdentity.accessKeyId, event.access_key_id);
    successKeys.add(event.access_key_id);
  }
  assert.ok(state.tokenEvents.some((e) => e.template_id !== null), "refreshes record their session's template, filled");
  const received = clients.flatMap((c) => c.received);
  for (const key of received) {
    assert.ok(successKeys.has(key), `received ${key} but it has no CreateOAuth2Token event`);
    assert.ok(credentialKeys.has(key), `received ${key} but it is not in credentials`);
  }
  for (const key of successKeys) assert.ok(credentialKeys.has(key), `event for ${key}, which was never issued`);
  for (const key of credentialKeys) assert.ok(successKeys.has(key), `credential ${key} issued without its event`);

  const bySession = new Map<string, { credentials: number; consumed: number; live: number }>();
  const of = (id: string) => bySession.get(id) ?? (bySession.set(id, { credentials: 0, consumed: 0, live: 0 }), bySession.get(id)!);
  for (const c of state.credentials) of(c.login_session_id).credentials++;
  for (const t of state.refreshTokens) t.consumed_at === null ? of(t.login_session_id).live++ : of(t.login_session_id).consumed++;
  assert.equal(bySession.size, clients.length);
  for (const [id, counts] of bySession) {
    assert.equal(counts.credentials, counts.consumed + 1, `session ${id}: one credential per rotation, plus the first`);
    assert.equal(counts.live, 1, `session ${id}: exactly one live refresh token`);
  }
  assert.deepEqual(state.sessions.filter((s) => s.revoked_at !== null), [], 'the crash revoked no session');
  return { credentials: credentialKeys.size, received: new Set(received).size };
}

async function crashUnderLoad(t: TestContext, where: { dataDir: string; databaseUrl?: string; inspect: { sqlite?: string; postgres?: string } }): Promise<void> {
  const first = await startServer(where.dataDir, where.databaseUrl);
  const cookie = await signIn(first.url, ROOT);
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i += 10) clients.push(...(await Promise.all(Array.from({ length: 10 }, () => newClient(first.url, cookie)))));

  let answered = 0;
  let open = 0;
  const killed = new AbortController();
  const loops = clients.map(async (client) => {
    for (;;) {
      open++;
      const ok = await refresh(first.url, client, { signal: killed.signal }).finally(() => open--);
      if (!ok) return;
      answered++;
    }
  });
  // Kill in the thick of it: a few hundred rotations in, with 50 in flight. On a loaded machine
  // the server answers a few dozen refreshes a second at worst, so a minute is time enough.
  const started = Date.now();
  while (answered < 400 && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 5));
  first.proc.child.kill('SIGKILL');
  await first.proc.exited(10_000);
  // The kernel has closed the dead server's sockets, so every open request fails by itself; one
  // that does not within a second is waiting for an answer that cannot come.
  await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 1000))]);
  const stillOpen = open;
  killed.abort();
  await Promise.all(loops);
  assert.ok(answered >= 400, `only ${answered} refreshes before the kill`);

  const afterCrash = assertConsistent(await snapshot(where.inspect), clients);
  assert.ok(afterCrash.credentials >= afterCrash.received, 'some rotations may have committed without their answer arriving');
  t.diagnostic(`${answered} refreshes answered before SIGKILL; ${afterCrash.received} credentials received, ${afterCrash.credentials} committed (${afterCrash.credentials - afterCrash.received} whose answer the kill swallowed)`);
  if (stillOpen > 0) t.diagnostic(`${stillOpen} requests were still open a second after the server had exited, and were aborted`);

  // Restart: every client goes on with the last token it holds.
  const second = await startServer(where.dataDir, where.databaseUrl);
  for (const client of clients) assert.equal(await refresh(second.url, client), true, 'no session lost in the crash');
  await second.proc.stop();
  assertConsistent(await snapshot(where.inspect), clients);
}

describe('audit crash test: kill -9 during 50 refreshing clients', () => {
  before(() => ensureBuilt());
  after(() => cleanUp());

  e2eTest('SQLite: every received credential has its event, no event lacks its change, every rotation whole', { timeout: 180_000 }, async (t) => {
    const dataDir = makeTempDir('crash-sqlite');
    await crashUnderLoad(t, { dataDir, inspect: { sqlite: join(dataDir, 'keyless.db') } });
  });

  e2eTest('PostgreSQL: the same', { timeout: 180_000 }, async (t) => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    admin.on('error', () => {});
    try {
      await admin.connect();
    } catch (error) {
      if (process.env.CI) throw error;
      t.skip(`PostgreSQL at ${POSTGRES_URL} is unreachable: ${(error as Error).message}`);
      return;
    }
    const name = `keyless_crash_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    try {
      await crashUnderLoad(t, { dataDir: makeTempDir('crash-pg'), databaseUrl: url.toString(), inspect: { postgres: url.toString() } });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => admin.query(`drop database if exists ${name}`));
      await admin.end();
    }
  });
});
