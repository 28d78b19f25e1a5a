// Issue 5, what is left: what the journal's shape costs each commit. A write transaction like a
// refresh's (two inserts at random keys, as the successor token and the credential) with and
// without one ~1 kB event row, on a WAL file with the server's pragmas (passive checkpoint every
// 1,000 commits, inline here, a thread in the server), for three shapes of the journal table:
// today's (AUTOINCREMENT, so sqlite_sequence is one more page per commit; UNIQUE event_id, one
// more index leaf), without AUTOINCREMENT, and without either. CPU of the process, user + system
// (each dirty page is a WAL frame written per commit). Results: bench/audit-README.md.
//
//   node bench/audit-journal-pages.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
const shapes = {
  'autoincrement + unique event_id (today)': 'create table ev (seq integer primary key autoincrement, event_id text not null unique, t integer, record text)',
  'no autoincrement, unique event_id': 'create table ev (seq integer primary key, event_id text not null unique, t integer, record text)',
  'no autoincrement, no unique': 'create table ev (seq integer primary key, event_id text not null, t integer, record text)',
  'no event at all': null,
};
const record = 'x'.repeat(1000);
const N = 6000;
for (let round = 0; round < 2; round++) for (const [name, ddl] of Object.entries(shapes)) {
  const dir = mkdtempSync(join(tmpdir(), 'pages-'));
  const db = new Database(join(dir, 'db'));
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
  db.exec('create table a (k text primary key, v text); create table b (k text primary key, v text)');
  if (ddl) db.exec(ddl);
  const ia = db.prepare('insert into a values (?, ?)'), ib = db.prepare('insert into b values (?, ?)');
  const ie = ddl && db.prepare('insert into ev (event_id, t, record) values (?, ?, ?)');
  const begin = db.prepare('begin immediate'), commit = db.prepare('commit');
  const once = () => { begin.run(); ia.run(randomBytes(16).toString('hex'), 'v'.repeat(100)); ib.run(randomBytes(16).toString('hex'), 'v'.repeat(200)); if (ie) ie.run(randomUUID(), Date.now(), record); commit.run(); };
  for (let i = 0; i < 1000; i++) once();
  const c = process.cpuUsage();
  for (let i = 0; i < N; i++) { once(); if (i % 1000 === 999) db.pragma('wal_checkpoint(PASSIVE)'); }
  const u = process.cpuUsage(c);
  console.log(`${name.padEnd(42)} ${((u.user + u.system) / N).toFixed(1)} µs CPU per transaction (user ${(u.user / N).toFixed(1)}, system ${(u.system / N).toFixed(1)})`);
  db.close(); rmSync(dir, { recursive: true, force: true });
}
