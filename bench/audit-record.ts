// What recording the CreateOAuth2Token event costs a refresh (issue 5: "recording events costs the
// refresh benchmark less than 10% throughput"). The refresh grant's transaction, with the real
// store on a real SQLite file (WAL, the server's pragmas and statement cache): remember the DPoP
// jti, read the token, its session and principal, consume the token, insert the successor and the
// credential (secret sealed) — with and without the CreateOAuth2Token event, in alternating blocks so
// both see the same machine. The events' share of the indexer's batches (audit/indexer.ts, which
// runs in the same process) is charged to the blocks that recorded them. Run with an audit table
// already holding --events rows too: an index insert's cost grows with the index's depth.
//
//   node --import tsx bench/audit-record.ts [--iterations 4000] [--events 0,1000000] [--refresh-ms 1.12]
//
// --refresh-ms is the server CPU per refresh of the refresh benchmark (bench/results/refresh-*.json,
// SQLite, 1 worker, 64 connections): the share of it the event takes is the throughput it costs
// on a CPU-bound server.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { sha256Base64url } from '@keyless/protocol';
import { systemRandom } from '../packages/server/src/crypto/ids.ts';
import { createSealer } from '../packages/server/src/crypto/sealer.ts';
import { purposes } from '../packages/server/src/crypto/seal-purposes.ts';
import { indexPending } from '../packages/server/src/audit/indexer.ts';
import { openStore, type LoginSession, type Store } from '../packages/server/src/store/store.ts';
import { createAuditTrail } from '../packages/server/src/audit/trail.ts';
import { mintCredentials } from '../packages/server/src/token/mint-credentials.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '4000' },
    events: { type: 'string', default: '0,1000000' },
    'refresh-ms': { type: 'string', default: '1.12' },
    'drop-indexes': { type: 'string', default: '' },
  },
});
const ITERATIONS = Number(values.iterations);
const BLOCK = 200;
const REFRESH_MS = Number(values['refresh-ms']);
const ACCOUNT = '111111111111';
const sealer = createSealer(randomBytes(32));
const trail = createAuditTrail(systemRandom);
const context = { requestId: randomUUID(), sourceIp: '127.0.0.1', userAgent: 'aws-cli/2.32.0 md/awscrt#0.28.4 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.9 md/command#login' };

async function seed(store: Store): Promise<{ session: LoginSession; token: string }> {
  await store.read((rs) => rs.directory.createAccount({ id: ACCOUNT, alias: null, root_email: 'bench@example.com', created_at: Date.now() }));
  const principal = { id: 'AIDABENCHUSER0000001', account_id: ACCOUNT, kind: 'user' as const, name: 'bench', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, password_hash: null, password_changed_at: null, max_session_seconds: 43_200, created_at: Date.now() };
  await store.read((rs) => rs.directory.createPrincipal(principal));
  const now = Date.now();
  const newSession = {
    id: 'bench-session', principal_id: principal.id, account_id: ACCOUNT, arn: principal.arn, console_session_id: 'console', client_id: 'arn:aws:signin:::devtools/same-device',
    jkt: 'jkt', region: 'us-east-1', mfa: 0, password_changed_at: null, source_ip: '127.0.0.1', created_at: now, expires_at: now + 12 * 3600_000, revoked_at: null, revoke_reason: null,
  };
  // As the authorization-code grant does: the session's record template is stored with it.
  const session: LoginSession = { ...newSession, audit_template_id: await store.transaction((tx) => trail.storeTokenTemplate(tx, newSession, now)) };
  await store.read((rs) => rs.loginSessions.create(session));
  const token = `ASOR${randomBytes(32).toString('base64url')}`;
  await store.read((rs) => rs.loginSessions.insertRefreshToken({ digest: sha256Base64url(token), login_session_id: session.id, created_at: now, consumed_at: null, replay_sealed: null }));
  return { session, token };
}

/** The refresh grant's transaction (token/grants/refresh-token.ts), its event optional. */
async function refreshOnce(store: Store, state: { token: string }, withEvent: boolean): Promise<void> {
  const now = Date.now();
  const digest = sha256Base64url(state.token);
  await store.transaction(async (tx) => {
    await tx.dpopJtis.remember(sha256Base64url(`jkt.${randomUUID()}`), now + 360_000);
    const { session } = (await tx.loginSessions.findRefreshGrant(digest))!;
    const successor = `ASOR${randomBytes(32).toString('base64url')}`;
    const minted = mintCredentials(systemRandom, sealer, session, now);
    const response = { accessToken: minted.accessToken, tokenType: 'aws_sigv4', expiresIn: minted.expiresIn, refreshToken: successor };
    const event = withEvent ? trail.rotationEvent({ session, context, now, accessKeyId: minted.row.access_key_id }) : undefined;
    const replaySealed = sealer.seal(JSON.stringify(response), purposes.refreshReplay(digest));
    if (!(await tx.loginSessions.rotate({ digest, now, replaySealed, successorDigest: sha256Base64url(successor), credential: minted.row, event }))) throw new Error('rotation lost');
    state.token = successor;
  });
}

/** Rows straight into audit_events, as the server would have written them over 90 days. */
function prefill(file: string, count: number): void {
  const db = new Database(file);
  const insert = db.prepare('insert into audit_events (event_id, event_time, event_name, event_source, account_id, username, access_key_id, read_only, request_id, record) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const from = Date.now() - 90 * 24 * 3600_000;
  const record = JSON.stringify({ eventVersion: '1.11', padding: 'x'.repeat(1100) });
  const fill = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      insert.run(randomUUID(), Math.floor(from + (i / count) * 89 * 24 * 3600_000), i % 10 < 7 ? 'CreateOAuth2Token' : 'ConsoleLogin', 'signin.amazonaws.com', ACCOUNT, `user-${i % 500}`, `ASIA${String(i).padStart(16, '0')}`, 1, randomUUID(), record);
    }
  });
  for (let i = 0; i < count; i += 20_000) fill(i, Math.min(count, i + 20_000));
  db.close();
}

async function measure(prefilled: number) {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-record-'));
  const file = join(dir, 'keyless.db');
  try {
    (await openStore({ kind: 'sqlite', file })).close();
    if (prefilled) prefill(file, prefilled);
    if (values['drop-indexes']) {
      // Diagnostic: what each index of the journal costs (drop-indexes=a,b,…).
      const db = new Database(file);
      for (const name of values['drop-indexes'].split(',')) db.exec(`drop index if exists ${name}`);
      db.close();
    }
    const store = await openStore({ kind: 'sqlite', file });
    const state = await seed(store);
    await indexPending(store);
    for (let i = 0; i < 300; i++) await refreshOnce(store, state, i % 2 === 0); // warm-up
    const totals = { with: { wall: 0, cpu: 0, n: 0 }, without: { wall: 0, cpu: 0, n: 0 } };
    for (let done = 0; done < ITERATIONS; done += BLOCK) {
      for (const withEvent of [true, false]) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < BLOCK; i++) await refreshOnce(store, state, withEvent);
        if (withEvent) await indexPending(store);
        const total = totals[withEvent ? 'with' : 'without'];
        total.wall += performance.now() - started;
        const used = process.cpuUsage(cpu);
        total.cpu += (used.user + used.system) / 1000;
        total.n += BLOCK;
      }
    }
    await store.close();
    const per = (t: { wall: number; cpu: number; n: number }) => ({ wallUs: (t.wall / t.n) * 1000, cpuUs: (t.cpu / t.n) * 1000 });
    return { prefilled, with: per(totals.with), without: per(totals.without) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const prefilled of values.events.split(',').map(Number)) {
  process.stderr.write(`— ${prefilled.toLocaleString()} events stored: ${ITERATIONS} refresh transactions each way\n`);
  rows.push(await measure(prefilled));
}
const f = (n: number) => n.toFixed(1).padStart(7);
process.stdout.write('\nevents stored | refresh txn µs (CPU) | + CreateOAuth2Token event | event costs µs | % of a refresh (' + REFRESH_MS + ' ms CPU)\n');
for (const r of rows) {
  const delta = r.with.cpuUs - r.without.cpuUs;
  process.stdout.write(
    `${r.prefilled.toLocaleString().padStart(13)} | ${f(r.without.cpuUs)} (wall ${f(r.without.wallUs)}) | ${f(r.with.cpuUs)} (wall ${f(r.with.wallUs)}) | ${f(delta)} | ${((delta / 1000 / REFRESH_MS) * 100).toFixed(1)}%\n`,
  );
}
