// CloudTrail log-file export on SQLite and PostgreSQL: the layout and format, and each event in
// exactly one file across restarts, crashes at every step, and several instances at once.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { manualClock } from '../clock.ts';
import { openStore, type Store } from '../store/store.ts';
import { backends, TEST_POOL_SIZE } from '../testing/backends.ts';
import { auditEventRow, type AuditInput } from './cloudtrail-record.ts';
import { exportPending, logFilePath, writeBatch } from './export.ts';
import { indexPending } from './indexer.ts';
import type { Repos } from '../store/store.ts';

/** Appends a whole record with the id the test gives it, as the trail would with its own. */
const recordAuditEvent = (tx: Pick<Repos, 'audit'>, input: AuditInput) => tx.audit.append(auditEventRow(input), input.resources);

const T0 = Date.parse('2026-11-23T20:29:07.123Z');
const ACCOUNTS = ['111111111111', '222222222222'];

/** Every file under the export root, with its records. */
function exported(dir: string): Map<string, Array<Record<string, any>>> {
  const files = new Map<string, Array<Record<string, any>>>();
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), (JSON.parse(gunzipSync(readFileSync(full)).toString('utf8')) as { Records: Array<Record<string, any>> }).Records);
    }
  };
  walk(dir);
  return files;
}

const allEventIds = (dir: string) => [...exported(dir).values()].flat().map((r) => r.eventID as string);

async function appendEvents(store: Store, from: number, count: number, at = T0): Promise<string[]> {
  const ids: string[] = [];
  await store.transaction(async (tx) => {
    for (let i = from; i < from + count; i++) {
      const accountId = ACCOUNTS[i % 2]!;
      const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.push(eventId);
      await recordAuditEvent(tx, {
        eventName: 'CreateOAuth2Token',
        readOnly: true,
        principal: { principalId: 'AIDAEXAMPLE', accountId, arn: `arn:aws:iam::${accountId}:user/alice` },
        region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
        context: { requestId: `request-${i}`, sourceIp: '192.0.2.1', userAgent: 'test' },
        eventId,
        eventTime: at + i,
        requestParameters: { client_id: 'arn:aws:signin:::devtools/same-device' },
        success: true,
      });
    }
  });
  return ids;
}

for (const backend of backends()) {
  describe(`audit export (${backend.name})`, { skip: backend.skip }, () => {
    const withExport = (name: string, body: (store: Store, dir: string, open: () => Promise<Store>) => Promise<void>) =>
      it(name, async () => {
        const database = await backend.create();
        const dir = mkdtempSync(join(tmpdir(), 'keyless-export-'));
        const stores: Store[] = [];
        const open = async () => {
          const store = await openStore(database.location, { poolSize: TEST_POOL_SIZE });
          stores.push(store);
          return store;
        };
        try {
          await body(await open(), dir, open);
        } finally {
          await Promise.all(stores.map((s) => s.close()));
          await database.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      });

    withExport('writes AWSLogs/{account}/CloudTrail/{region}/yyyy/mm/dd/…json.gz with {"Records":[…]}, one file per account and region', async (store, dir) => {
      const ids = await appendEvents(store, 0, 12);
      const clock = manualClock(T0 + 60_000);
      const result = await exportPending({ store, clock, dir });
      assert.deepEqual(result.batches, [1]);
      assert.equal(result.events, 12);
      const files = exported(dir);
      assert.deepEqual([...files.keys()].sort(), [
        'AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/23/111111111111_CloudTrail_eu-west-1_20261123T2030Z_0000000000000001.json.gz',
        'AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/23/111111111111_CloudTrail_us-east-1_20261123T2030Z_0000000000000001.json.gz',
        'AWSLogs/222222222222/CloudTrail/eu-west-1/2026/11/23/222222222222_CloudTrail_eu-west-1_20261123T2030Z_0000000000000001.json.gz',
        'AWSLogs/222222222222/CloudTrail/us-east-1/2026/11/23/222222222222_CloudTrail_us-east-1_20261123T2030Z_0000000000000001.json.gz',
      ]);
      for (const [path, records] of files) {
        const [, account, , region] = path.split('/');
        assert.ok(records.every((r) => r.recipientAccountId === account && r.awsRegion === region));
      }
      assert.deepEqual(allEventIds(dir).sort(), ids.sort());
      const stored = (await store.read((rs) => rs.audit.list({ limit: 100 }))).map((row) => JSON.parse(row.record));
      assert.deepEqual([...files.values()].flat().sort((a, b) => a.eventID.localeCompare(b.eventID)), stored.sort((a, b) => a.eventID.localeCompare(b.eventID)), 'verbatim');
      assert.deepEqual((await exportPending({ store, clock, dir })).batches, [], 'nothing twice');
    });

    withExport('log files are 0640 and the directories it creates 0750, whatever the umask: identities, no secrets', async (store, dir) => {
      if (process.platform === 'win32') return;
      await appendEvents(store, 0, 2);
      const previous = process.umask(0o000);
      try {
        await exportPending({ store, clock: manualClock(T0 + 60_000), dir });
      } finally {
        process.umask(previous);
      }
      const modes = new Map<string, string>();
      const walk = (path: string) => {
        for (const entry of readdirSync(path)) {
          const full = join(path, entry);
          modes.set(relative(dir, full), (statSync(full).mode & 0o777).toString(8));
          if (statSync(full).isDirectory()) walk(full);
        }
      };
      walk(dir);
      const expected = [...modes.keys()].map((path) => [path, path.endsWith('.json.gz') ? '640' : '750']);
      assert.ok([...modes.keys()].some((path) => path.endsWith('.json.gz')));
      assert.deepEqual([...modes], expected);
    });

    withExport('batches: the oldest events first, a few at a time; events appended later go to later batches', async (store, dir) => {
      const clock = manualClock(T0);
      await appendEvents(store, 0, 7);
      assert.deepEqual((await exportPending({ store, clock, dir, maxEventsPerBatch: 3 })).batches, [1, 2, 3]);
      const later = await appendEvents(store, 7, 2);
      clock.advance(5 * 60_000);
      assert.deepEqual((await exportPending({ store, clock, dir, maxEventsPerBatch: 3 })).batches, [4]);
      const ids = allEventIds(dir);
      assert.equal(ids.length, 9);
      assert.equal(new Set(ids).size, 9);
      assert.ok([...exported(dir).keys()].filter((p) => p.includes('T2034Z_0000000000000004')).length > 0, later.join());
    });

    withExport('a crash after the claim: the next run (or another instance) writes that batch, once', async (store, dir, open) => {
      const clock = manualClock(T0);
      await appendEvents(store, 0, 5);
      await indexPending(store);
      await store.transaction((tx) => tx.audit.claimExportBatch(clock.now(), 100)); // … and the process dies
      await appendEvents(store, 5, 3);
      clock.advance(10 * 60_000);
      const restarted = await open();
      const result = await exportPending({ store: restarted, clock, dir });
      assert.deepEqual(result.batches, [1, 2]);
      assert.ok([...exported(dir).keys()].every((p) => p.includes('T2029Z_0000000000000001') || p.includes('T2039Z_0000000000000002')), 'batch 1 keeps its claim instant');
      assert.deepEqual(allEventIds(dir).length, 8);
      assert.equal(new Set(allEventIds(dir)).size, 8);
    });

    withExport('a crash after writing, before the cursor moved: the rewrite is the same bytes under the same names', async (store, dir) => {
      const clock = manualClock(T0);
      await appendEvents(store, 0, 6);
      await indexPending(store);
      const claimed = (await store.transaction((tx) => tx.audit.claimExportBatch(clock.now(), 100)))!;
      const first = await writeBatch({ store, clock, dir }, claimed.batch, clock.now()); // … and the process dies
      const before = new Map([...first.files].map((f) => [f, readFileSync(join(dir, f))]));
      await exportPending({ store, clock, dir });
      for (const [file, bytes] of before) assert.deepEqual(readFileSync(join(dir, file)), bytes, file);
      assert.equal(exported(dir).size, before.size, 'no other file');
      assert.equal(readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.tmp')).length, 0, 'no temporary file left');
    });

    withExport('instances exporting at once, while events keep coming: every event in exactly one file', async (store, dir, open) => {
      const instances = [store, await open(), await open()];
      const clock = manualClock(T0);
      const appended: string[] = [];
      let next = 0;
      for (let round = 0; round < 5; round++) {
        const writers = Array.from({ length: 4 }, async () => {
          const from = next;
          next += 10;
          appended.push(...(await appendEvents(store, from, 10)));
        });
        const exporters = instances.map((s) => exportPending({ store: s, clock, dir, maxEventsPerBatch: 7 }));
        await Promise.all([...writers, ...exporters]);
        clock.advance(60_000);
      }
      await exportPending({ store: instances[1]!, clock, dir, maxEventsPerBatch: 7 });
      const ids = allEventIds(dir);
      assert.equal(ids.length, appended.length, 'no event twice');
      assert.deepEqual(ids.sort(), appended.sort(), 'none missing');
      assert.equal(await store.read((rs) => rs.audit.hasUnexported()), false);
    });

    withExport('retention never purges an event before its batch is written', async (store, dir) => {
      const clock = manualClock(T0 + 100 * 24 * 3600_000);
      await appendEvents(store, 0, 4);
      const cutoff = clock.now() - 90 * 24 * 3600_000;
      await indexPending(store);
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(cutoff, { exportedOnly: true })), 0);
      await exportPending({ store, clock, dir });
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(cutoff, { exportedOnly: true })), 4);
      assert.equal(allEventIds(dir).length, 4, 'in the files still');
    });
  });
}

describe('log file names', () => {
  it('follow CloudTrail: {account}_CloudTrail_{region}_{yyyymmddTHHmmZ}_{16 characters}.json.gz under AWSLogs/…/yyyy/mm/dd', () => {
    assert.equal(
      logFilePath('123456789012', 'ap-southeast-2', 42, Date.parse('2027-01-05T03:07:59Z')),
      'AWSLogs/123456789012/CloudTrail/ap-southeast-2/2027/01/05/123456789012_CloudTrail_ap-southeast-2_20270105T0307Z_0000000000000042.json.gz',
    );
  });
});
