// The LookupEvents benchmark (issue 5): with 1,000,000 events stored, LookupEvents by EventName or
// Username over one day, first page, through the real HTTP API with SigV4 — beside the same
// query issued straight to SQLite with the statements the store runs (the floor under it).
// Target: p50 < 20 ms. See bench/README.md.
//
//   node bench/audit-lookup.mjs [--events 1000000] [--requests 400] [--connections 1,4]
//                               [--no-build] [--keep] [--out FILE]
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SignatureV4 } from '@smithy/signature-v4';
import { tsImport } from 'tsx/esm/api';
import { freePort, SERVER_MAIN } from './lib/servers.mjs';
import { sampleRefresh, signInRoot } from './lib/sessions.mjs';
import { Samples, summarize } from './lib/stats.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROOT_USER = { email: 'bench@keyless.test', password: 'bench-password-0123456789' };
const DAY = 24 * 3600_000;
const TARGET_P50_MS = 20;
const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

const log = (line) => process.stderr.write(`${line}\n`);

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000000' },
      requests: { type: 'string', default: '400' },
      connections: { type: 'string', default: '1,4' },
      'no-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  return {
    events: Number(values.events),
    requests: Number(values.requests),
    connections: values.connections.split(',').map(Number).filter((n) => n > 0),
    build: !values['no-build'],
    keep: values.keep,
    out: values.out,
  };
}

// ---- the server -------------------------------------------------------------------------------

async function startServer(dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_MAIN, 'serve'], {
    env: {
      ...process.env,
      KEYLESS_DATA_DIR: dataDir,
      KEYLESS_PORT: String(port),
      KEYLESS_HOST: '127.0.0.1',
      KEYLESS_LOG_LEVEL: 'warn',
      KEYLESS_BOOTSTRAP_EMAIL: ROOT_USER.email,
      KEYLESS_BOOTSTRAP_PASSWORD: ROOT_USER.password,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-10_000)));
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null) throw new Error(`keyless serve exited:\n${stderr}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`keyless serve not ready:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    base,
    port,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---- a million events in the journal, the way the server would have appended them -------------

const EVENT_NAMES = [
  ['CreateOAuth2Token', 0.7, 'signin.amazonaws.com', true],
  ['AuthorizeOAuth2Access', 0.1, 'signin.amazonaws.com', true],
  ['ConsoleLogin', 0.1, 'signin.amazonaws.com', false],
  ['ConsoleLogout', 0.04, 'signin.amazonaws.com', false],
  ['RevokeOAuth2Token', 0.03, 'signin.amazonaws.com', false],
  ['UpdateLoginProfile', 0.02, 'iam.amazonaws.com', false],
  ['CreateUser', 0.01, 'iam.amazonaws.com', false],
];
const USERS = 500;
const USER_AGENT = 'aws-cli/2.32.0 md/awscrt#0.28.4 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.9 md/pyimpl#CPython m/b,AA,Z,E cfg/retry-mode#standard md/installer#exe sid/35033f4ca1bd md/prompt#off md/command#login';
const OTHER_ACCOUNTS = ['222222222222', '333333333333', '444444444444'];

/** A small deterministic PRNG, so two runs store the same events. */
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
}

/** A time-ordered event id, as the server makes them (audit/event-id.ts). */
function uuid7(ms) {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function pickName(r) {
  let acc = 0;
  for (const entry of EVENT_NAMES) if (r < (acc += entry[1])) return entry;
  return EVENT_NAMES[0];
}

/**
 * A user's refreshes, stored as the server stores them: one record template per login session
 * (store/audit-record-codec.ts), each row holding what its columns and fills do not (here one session
 * a user, begun when the 90 days do).
 */
async function templatesOf(db, from) {
  const { recordTemplate } = await tsImport('../packages/server/src/audit/cloudtrail-record.ts', import.meta.url);
  const insert = db.prepare('insert into audit_record_templates (id, created_at, parts) values (?, ?, ?)');
  const ids = new Map();
  return (account, user) => {
    const key = `${account}/${user}`;
    if (!ids.has(key)) {
      const principal = { principalId: `AIDA${user.toUpperCase().replace('-', '')}EXAMPLE`, accountId: account, arn: `arn:aws:iam::${account}:user/${user}`, sessionCreatedAt: from };
      const input = { eventName: 'CreateOAuth2Token', readOnly: true, principal, region: 'us-east-1', requestParameters: { client_id: 'arn:aws:signin:::devtools/same-device' }, success: true };
      ids.set(key, uuid7(from));
      insert.run(ids.get(key), from, JSON.stringify(recordTemplate({ ...input, context: {}, eventId: '', eventTime: 0 })));
    }
    return ids.get(key);
  };
}

async function fill(file, accountId, count, now) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    'insert into audit_events (event_id, event_time, event_name, event_source, account_id, username, access_key_id, read_only, request_id, record, template_id, template_fills) ' +
      'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const resource = db.prepare('insert into audit_event_resources (seq, account_id, event_time, resource_type, resource_name) values (?, ?, ?, ?, ?)');
  const random = prng(42);
  const from = now - 90 * DAY;
  const templateOf = await templatesOf(db, from);
  const started = performance.now();
  const batch = db.transaction((rows) => {
    for (const row of rows) {
      const templated = row.name === 'CreateOAuth2Token' ? [templateOf(row.account, row.user), JSON.stringify([row.sourceIp, USER_AGENT])] : [null, null];
      const record = templated[0] === null ? row.record : '';
      const { lastInsertRowid } = insert.run(row.eventId, row.time, row.name, row.source, row.account, row.user, row.key, row.readOnly, row.requestId, record, ...templated);
      if (row.resource) resource.run(lastInsertRowid, row.account, row.time, 'AWS::IAM::User', row.user);
    }
  });
  const BATCH = 10_000;
  for (let done = 0; done < count; ) {
    const rows = [];
    for (let i = 0; i < BATCH && done < count; i++, done++) {
      const [name, , source, readOnly] = pickName(random());
      const account = random() < 0.9 ? accountId : OTHER_ACCOUNTS[Math.floor(random() * OTHER_ACCOUNTS.length)];
      const user = `user-${Math.floor(random() * USERS)}`;
      // Events arrive in time order, as they are recorded: seq and event_time rise together.
      const time = Math.floor(from + (done / count) * (90 * DAY - 3600_000) + random() * 1000);
      const eventId = uuid7(time);
      const requestId = randomUUID();
      const key = name === 'CreateOAuth2Token' ? `ASIA${createHash('sha1').update(eventId).digest('hex').slice(0, 16).toUpperCase()}` : null;
      const sourceIp = `192.0.2.${Math.floor(random() * 250)}`;
      const record = JSON.stringify({
        eventVersion: '1.11',
        userIdentity: {
          type: 'IAMUser',
          principalId: `AIDA${user.toUpperCase().replace('-', '')}EXAMPLE`,
          arn: `arn:aws:iam::${account}:user/${user}`,
          accountId: account,
          ...(key && { accessKeyId: key }),
          userName: user,
          sessionContext: { attributes: { creationDate: new Date(time - 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' } },
        },
        eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: source,
        eventName: name,
        awsRegion: 'us-east-1',
        sourceIPAddress: sourceIp,
        userAgent: USER_AGENT,
        requestParameters: { client_id: 'arn:aws:signin:::devtools/same-device' },
        responseElements: null,
        additionalEventData: { success: 'true', 'x-amzn-vpce-id': '' },
        requestID: requestId,
        eventID: eventId,
        readOnly,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
      });
      rows.push({ eventId, time, name, source, account, user, key, readOnly: readOnly ? 1 : 0, requestId, sourceIp, record, resource: source === 'iam.amazonaws.com' });
    }
    batch(rows);
    if (done % 100_000 === 0) log(`  ${done.toLocaleString()} events (${Math.round(done / ((performance.now() - started) / 1000)).toLocaleString()}/s)`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return (performance.now() - started) / 1000;
}

/** Waits until the server's indexer has reached the end of the journal; returns the seconds it took. */
async function waitForIndexer(file) {
  const db = new Database(file, { readonly: true });
  const started = performance.now();
  try {
    const last = db.prepare('select max(seq) from audit_events').pluck().get();
    for (let lastLog = 0; ; ) {
      const cursor = db.prepare("select seq from audit_index_cursor where name = 'lookup'").pluck().get();
      if (cursor >= last) return (performance.now() - started) / 1000;
      if (performance.now() - lastLog > 10_000) {
        log(`  indexer at ${cursor.toLocaleString()} of ${last.toLocaleString()}`);
        lastLog = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    db.close();
  }
}

// ---- LookupEvents over HTTP, SigV4-signed -----------------------------------------------------

/** node:crypto behind the Checksum interface the Smithy signer takes. */
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

function lookupClient(base, credentials) {
  const url = new URL(base);
  const signer = new SignatureV4({ service: 'cloudtrail', region: 'us-east-1', credentials, sha256: Sha256 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return async (input) => {
    const body = JSON.stringify(input);
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
      body,
    });
    const sent = performance.now();
    const answer = await new Promise((resolve, reject) => {
      const request = http.request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: signed.headers, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      request.end(body);
    });
    const ms = performance.now() - sent;
    if (answer.status !== 200) throw new Error(`LookupEvents answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    return { ms, events: JSON.parse(answer.text).Events.length };
  };
}

/** The statements the store runs for one LookupEvents page, straight to SQLite (Kysely's SQL). */
function directClient(file) {
  const db = new Database(file, { readonly: true });
  const byColumn = (column) =>
    db.prepare(`select "seq" from "audit_lookup" where "account_id" = ? and "${column}" = ? and "event_time" >= ? and "event_time" <= ? order by "event_time" desc, "seq" desc limit ?`);
  const statements = {
    EventName: byColumn('event_name'),
    Username: byColumn('username'),
    none: db.prepare('select "seq" from "audit_lookup" where "account_id" = ? and "event_time" >= ? and "event_time" <= ? order by "event_time" desc, "seq" desc limit ?'),
  };
  const inList = (n) => Array.from({ length: n }, () => '?').join(', ');
  return {
    query(accountId, attribute, start, end) {
      const begun = performance.now();
      const seqs = (attribute ? statements[attribute.AttributeKey].all(accountId, attribute.AttributeValue, start, end, 51) : statements.none.all(accountId, start, end, 51)).map((r) => r.seq);
      if (seqs.length) {
        db.prepare(`select * from "audit_events" where "seq" in (${inList(seqs.length)})`).all(...seqs);
        db.prepare(`select "seq", "resource_type", "resource_name" from "audit_event_resources" where "seq" in (${inList(seqs.length)})`).all(...seqs);
      }
      return { ms: performance.now() - begun, events: Math.min(seqs.length, 50) };
    },
    close: () => db.close(),
  };
}

const QUERIES = [
  { name: 'EventName=CreateOAuth2Token', attribute: { AttributeKey: 'EventName', AttributeValue: 'CreateOAuth2Token' } },
  { name: 'EventName=ConsoleLogin', attribute: { AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' } },
  { name: 'Username=user-N', attribute: (random) => ({ AttributeKey: 'Username', AttributeValue: `user-${Math.floor(random() * USERS)}` }) },
  { name: '(no attribute)', attribute: undefined },
];

/** A random whole day within the stored 90 days, a fresh one for every request. */
function dayOf(random, now) {
  const start = Math.floor((now - 89 * DAY) / DAY) * DAY + Math.floor(random() * 88) * DAY;
  return { start, end: start + DAY - 1 };
}

async function measure(requests, connections, run) {
  const samples = new Samples();
  let events = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < requests) {
        next++;
        const result = await run();
        samples.add(result.ms);
        events += result.events;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(samples), requestsPerSecond: requests / seconds, eventsPerPage: events / requests };
}

// ---- the run ------------------------------------------------------------------------------------

async function main() {
  const options = parse(process.argv.slice(2));
  if (options.build) execFileSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-bench-audit-'));
  const file = join(dataDir, 'keyless.db');
  let indexSeconds;
  try {
    log('— bootstrap (migrations, the first account)');
    let server = await startServer(dataDir);
    await server.stop();
    const accountId = new Database(file, { readonly: true }).prepare('select id from accounts').pluck().get();
    const now = Date.now();
    log(`— storing ${options.events.toLocaleString()} events over 90 days (90% in account ${accountId})`);
    const fillSeconds = await fill(file, accountId, options.events, now);
    const size = statSync(file).size;
    log(`  ${fillSeconds.toFixed(1)} s, ${(size / 1e9).toFixed(2)} GB`);

    // The journal is filled; the server's own indexer copies it into audit_lookup (in batches, in
    // the background), which is also a measure of how fast it catches up after an outage.
    server = await startServer(dataDir);
    indexSeconds = await waitForIndexer(file);
    log(`  indexed by the server in ${indexSeconds.toFixed(1)} s (${Math.round(options.events / indexSeconds).toLocaleString()} events/s)`);
    const browser = await signInRoot(server.base, ROOT_USER);
    const { response } = await sampleRefresh(server.base, browser);
    const lookup = lookupClient(server.base, response.accessToken);
    const direct = directClient(file);
    const rows = [];
    for (const query of QUERIES) {
      const attributeOf = (random) => (typeof query.attribute === 'function' ? query.attribute(random) : query.attribute);
      // Warm-up: the first queries of each kind pay for statement preparation and cold pages.
      const warm = prng(7);
      for (let i = 0; i < 20; i++) {
        const { start, end } = dayOf(warm, now);
        await lookup({ LookupAttributes: attributeOf(warm) ? [attributeOf(warm)] : undefined, StartTime: start / 1000, EndTime: end / 1000 });
      }
      for (const connections of options.connections) {
        const random = prng(1000 + connections);
        const viaHttp = await measure(options.requests, connections, () => {
          const { start, end } = dayOf(random, now);
          const attribute = attributeOf(random);
          return lookup({ ...(attribute && { LookupAttributes: [attribute] }), StartTime: start / 1000, EndTime: end / 1000, MaxResults: 50 });
        });
        rows.push({ query: query.name, via: 'LookupEvents (HTTP, SigV4)', connections, ...viaHttp });
      }
      const random = prng(99);
      const viaStore = await measure(options.requests, 1, async () => {
        const { start, end } = dayOf(random, now);
        return direct.query(accountId, attributeOf(random), start, end);
      });
      rows.push({ query: query.name, via: 'SQLite directly (baseline)', connections: 1, ...viaStore });
    }
    direct.close();
    await server.stop();

    const table = formatTable(
      ['query (one day, first page)', 'via', 'conn', 'events/page', 'p50 ms', 'p99 ms', 'mean ms', 'req/s'],
      rows.map((r) => [r.query, r.via, r.connections, fixed(r.eventsPerPage, 1), fixed(r.p50, 2), fixed(r.p99, 2), fixed(r.mean, 2), fixed(r.requestsPerSecond, 0)]),
    );
    process.stdout.write(`\n${table}\n\n`);
    for (const row of rows.filter((r) => r.via.startsWith('LookupEvents') && r.connections === 1 && /EventName|Username/.test(r.query))) {
      process.stdout.write(`${row.p50 < TARGET_P50_MS ? 'PASS' : 'MISS'}  ${row.query}: p50 ${fixed(row.p50, 2)} ms (target < ${TARGET_P50_MS} ms with ${options.events.toLocaleString()} events)\n`);
    }
    const out = options.out ?? join(ROOT, 'bench/results', `audit-lookup-${new Date().toISOString().slice(0, 10)}.json`);
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(
      out,
      JSON.stringify({ benchmark: 'audit-lookup', date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model }, options, fillSeconds, indexSeconds, databaseBytes: size, rows }, null, 2) + '\n',
    );
    log(`results: ${relative(ROOT, out)}`);
  } finally {
    if (options.keep) log(`kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
