// Audit events: appended, queued and indexed once each, listed newest first, looked up the way
// LookupEvents pages, claimed for export exactly once, and purged only once exported.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { LookupKey, Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, MINUTE, OTHER_ACCOUNT_ID, T0, auditEvent, barrier, concurrently, withFreshStore } from './fixtures.ts';

async function seedEvents(store: Store): Promise<void> {
  for (const event of [
    auditEvent('e1', { event_time: T0, event_name: 'ConsoleLogin', username: 'alice' }),
    auditEvent('e2', { event_time: T0 + MINUTE, event_name: 'CreateOAuth2Token', username: 'alice', access_key_id: 'ASIAEXAMPLE', read_only: 1 }),
    auditEvent('e3', { event_time: T0 + 2 * MINUTE, event_name: 'ConsoleLogin', username: 'bob' }),
    auditEvent('e4', { event_time: T0 + 2 * MINUTE, event_name: 'ConsoleLogin', username: null, account_id: OTHER_ACCOUNT_ID }),
  ]) {
    await store.read((rs) => rs.audit.append(event));
  }
}

const eventIds = (rows: Array<{ event_id: string }>): string[] => rows.map((row) => row.event_id);

/** Runs the indexer to the end of the queue, as lookups and export do first. */
async function indexAll(store: Store): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await store.transaction((tx) => tx.audit.indexQueued(7));
  return total;
}
const WIDE = { start: T0 - HOUR, end: T0 + HOUR };

/** Events e0…e{n-1}, one a minute from T0, alternating users; every third in the other account. */
async function seedMany(store: Store, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.read((rs) => rs.audit.append(
      auditEvent(`e${i}`, {
        event_time: T0 + i * MINUTE,
        event_name: i % 2 === 0 ? 'CreateOAuth2Token' : 'ConsoleLogin',
        event_source: i % 5 === 0 ? 'iam.amazonaws.com' : 'signin.amazonaws.com',
        username: i % 2 === 0 ? 'alice' : 'bob',
        access_key_id: i % 2 === 0 ? `ASIA${String(i).padStart(16, '0')}` : null,
        read_only: i % 2 === 0 ? 1 : 0,
        account_id: i % 3 === 2 ? OTHER_ACCOUNT_ID : ACCOUNT_ID,
      }),
      i % 5 === 0 ? [{ type: 'AWS::IAM::User', name: i % 2 === 0 ? 'carol' : 'dave' }] : [],
    ));
  }
  await indexAll(store);
}

export function auditContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('audit', () => {
    test('list: newest first, same-time events by append order (newest first); seq increases', async (store) => {
      await seedEvents(store);
      const all = await store.read((rs) => rs.audit.list({}));
      assert.deepEqual(eventIds(all), ['e4', 'e3', 'e2', 'e1']);
      const seqs = all.map((row) => row.seq).reverse();
      assert.ok(seqs.every((seq, i) => typeof seq === 'number' && (i === 0 || seq > seqs[i - 1]!)), `seq increasing: ${seqs}`);
    });

    test('an event reads back exactly as appended, not yet in an export batch', async (store) => {
      const event = auditEvent('e2', { access_key_id: 'ASIAEXAMPLE', read_only: 1, username: null });
      await store.read((rs) => rs.audit.append(event));
      const [row] = await store.read((rs) => rs.audit.list({}));
      assert.deepEqual({ ...row, seq: undefined }, { ...event, seq: undefined });
    });

    test('list filters by eventName, username, accountId and since, combined', async (store) => {
      await seedEvents(store);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin' }))), ['e4', 'e3', 'e1']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ username: 'alice' }))), ['e2', 'e1']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ accountId: OTHER_ACCOUNT_ID }))), ['e4']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ since: T0 + MINUTE }))), ['e4', 'e3', 'e2'], 'since is inclusive');
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', username: 'alice' }))), ['e1']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', since: T0 + MINUTE, accountId: '111122223333' }))), ['e3']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.list({ limit: 2 }))), ['e4', 'e3']);
      assert.deepEqual(await store.read((rs) => rs.audit.list({ username: 'nobody' })), []);
    });

    test('event_id is unique', async (store) => {
      await store.read((rs) => rs.audit.append(auditEvent('e1')));
      await assert.rejects(store.read((rs) => rs.audit.append(auditEvent('e1', { request_id: 'another' }))));
      assert.equal((await store.read((rs) => rs.audit.list({}))).length, 1);
    });
  });

  describe('audit indexing', () => {
    test('every append is queued, and indexed once; a rolled-back append is not', async (store) => {
      await seedEvents(store);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.audit.append(auditEvent('rolled-back'));
          throw new Error('crash');
        }),
      );
      assert.ok(await store.read((rs) => rs.audit.hasUnindexed()));
      assert.deepEqual(await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, ...WIDE, limit: 50 })), [], 'nothing found before indexing');
      assert.equal(await indexAll(store), 4);
      assert.equal(await store.read((rs) => rs.audit.hasUnindexed()), false);
      assert.equal(await indexAll(store), 0);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, ...WIDE, limit: 50 }))), ['e3', 'e2', 'e1']);
    });

    test('concurrent indexers: each event indexed by exactly one of them', async (store) => {
      for (let i = 0; i < 60; i++) await store.read((rs) => rs.audit.append(auditEvent(`e${i}`, { event_time: T0 + i })));
      const arrive = barrier(5);
      const counts = await concurrently(5, async () => {
        await arrive();
        let total = 0;
        for (let n = -1; n !== 0; total += n) n = await store.transaction((tx) => tx.audit.indexQueued(8));
        return total;
      });
      assert.equal(counts.reduce((a, b) => a + b, 0), 60, `indexed ${counts}`);
      assert.equal((await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, ...WIDE, limit: 100 }))).length, 60);
    });
  });

  describe('audit lookup', () => {
    test('one account only, newest first, time bounds inclusive', async (store) => {
      await seedMany(store, 12);
      const page = await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, start: T0 + MINUTE, end: T0 + 9 * MINUTE, limit: 50 }));
      assert.deepEqual(eventIds(page), ['e9', 'e7', 'e6', 'e4', 'e3', 'e1']);
      const other = await store.read((rs) => rs.audit.lookup({ accountId: OTHER_ACCOUNT_ID, ...WIDE, limit: 50 }));
      assert.deepEqual(eventIds(other), ['e11', 'e8', 'e5', 'e2']);
    });

    const cases: Array<[LookupKey, string, string[]]> = [
      ['EventName', 'ConsoleLogin', ['e9', 'e7', 'e3', 'e1']],
      ['Username', 'alice', ['e10', 'e6', 'e4', 'e0']],
      ['EventSource', 'iam.amazonaws.com', ['e10', 'e0']],
      ['AccessKeyId', 'ASIA0000000000000004', ['e4']],
      ['ReadOnly', 'true', ['e10', 'e6', 'e4', 'e0']],
      ['ReadOnly', 'false', ['e9', 'e7', 'e3', 'e1']],
      ['EventId', 'e6', ['e6']],
      ['EventId', 'e5', []],
      ['ResourceType', 'AWS::IAM::User', ['e10', 'e0']],
      ['ResourceName', 'carol', ['e10', 'e0']],
      ['ResourceName', 'dave', []],
    ];
    for (const [key, value, expected] of cases) {
      test(`by ${key} = ${value}`, async (store) => {
        await seedMany(store, 12);
        const page = await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, attribute: { key, value }, ...WIDE, limit: 50 }));
        assert.deepEqual(eventIds(page), expected);
      });
    }

    test('pages by (event_time, seq): no event twice or missed, ties at one instant included', async (store) => {
      for (let i = 0; i < 7; i++) await store.read((rs) => rs.audit.append(auditEvent(`e${i}`, { event_time: T0 + Math.floor(i / 3) * MINUTE })));
      await indexAll(store);
      const seen: string[] = [];
      let after: { time: number; seq: number } | undefined;
      for (;;) {
        const page = await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, attribute: { key: 'EventName', value: 'ConsoleLogin' }, ...WIDE, after, limit: 2 }));
        seen.push(...eventIds(page));
        if (page.length < 2) break;
        const last = page.at(-1)!;
        after = { time: last.event_time, seq: last.seq };
      }
      assert.deepEqual(seen, ['e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0']);
    });

    test('resources come back with their events; a resource page pages too', async (store) => {
      for (let i = 0; i < 5; i++) {
        await store.read((rs) => rs.audit.append(auditEvent(`e${i}`, { event_time: T0 + i * MINUTE }), [
          { type: 'AWS::IAM::User', name: `user${i}` },
          { type: 'AWS::IAM::User', name: 'shared' },
          { type: 'AWS::IAM::User', name: 'shared' },
        ]));
      }
      await indexAll(store);
      const first = await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, ...WIDE, limit: 3 }));
      assert.deepEqual(eventIds(first), ['e4', 'e3', 'e2'], 'an event naming two users of the type appears once');
      assert.deepEqual(
        first[0]!.resources.map((r) => r.name).sort(),
        ['shared', 'user4'],
      );
      const last = first.at(-1)!;
      const second = await store.read((rs) => rs.audit.lookup({
        accountId: ACCOUNT_ID,
        attribute: { key: 'ResourceName', value: 'shared' },
        ...WIDE,
        after: { time: last.event_time, seq: last.seq },
        limit: 3,
      }));
      assert.deepEqual(eventIds(second), ['e1', 'e0']);
      assert.deepEqual((await store.read((rs) => rs.audit.lookup({ accountId: OTHER_ACCOUNT_ID, attribute: { key: 'ResourceName', value: 'shared' }, ...WIDE, limit: 3 }))), []);
    });

    test('listAfter and lastSeq follow appends in order', async (store) => {
      assert.equal(await store.read((rs) => rs.audit.lastSeq()), 0);
      await seedEvents(store);
      const all = await store.read((rs) => rs.audit.listAfter(0, 10));
      assert.deepEqual(eventIds(all), ['e1', 'e2', 'e3', 'e4']);
      assert.equal(await store.read((rs) => rs.audit.lastSeq()), all.at(-1)!.seq);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.listAfter(all[1]!.seq, 10))), ['e3', 'e4']);
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.listAfter(0, 10, OTHER_ACCOUNT_ID))), ['e4']);
    });
  });

  describe('audit export', () => {
    const claim = (store: Store, max = 100) => store.transaction((tx) => tx.audit.claimExportBatch(T0, max));

    test('a batch takes the oldest unexported events; the next waits until it is written', async (store) => {
      await seedMany(store, 5);
      assert.ok(await store.read((rs) => rs.audit.hasUnexported()));
      assert.deepEqual(await claim(store, 3), { batch: 1, events: 3 });
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.eventsOfBatch(1))), ['e0', 'e1', 'e2']);
      assert.equal(await claim(store), undefined, 'batch 1 is claimed but not written');
      assert.deepEqual(await store.read((rs) => rs.audit.exportCursor()), { claimedBatch: 1, writtenBatch: 0, claimedAt: T0 });
      assert.equal(await store.read((rs) => rs.audit.completeExportBatch(2)), false);
      assert.equal(await store.read((rs) => rs.audit.completeExportBatch(1)), true);
      assert.equal(await store.read((rs) => rs.audit.completeExportBatch(1)), false, 'once');
      assert.deepEqual(await claim(store), { batch: 2, events: 2 });
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.eventsOfBatch(2))), ['e3', 'e4']);
      await store.read((rs) => rs.audit.completeExportBatch(2));
      assert.equal(await store.read((rs) => rs.audit.hasUnexported()), false);
    });

    test('a claim rolled back leaves the cursor and the events as they were', async (store) => {
      await seedMany(store, 2);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.audit.claimExportBatch(T0, 10);
          throw new Error('crash');
        }),
      );
      assert.deepEqual(await store.read((rs) => rs.audit.exportCursor()), { claimedBatch: 0, writtenBatch: 0, claimedAt: 0 });
      assert.deepEqual(await claim(store), { batch: 1, events: 2 });
    });

    test('concurrent claimers: exactly one gets the batch, every event in exactly one', async (store) => {
      await seedMany(store, 20);
      const arrive = barrier(6);
      const results = await concurrently(6, async () => {
        await arrive();
        return claim(store, 50);
      });
      const won = results.filter((r) => r !== undefined);
      assert.equal(won.length, 1, JSON.stringify(results));
      assert.equal((await store.read((rs) => rs.audit.eventsOfBatch(1))).length, 20);
    });

    test('purge: older events go, with their resources; with exportedOnly, only written batches', async (store) => {
      await seedMany(store, 10); // e0…e9 at T0 + i minutes; e0 and e5 name resources
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(T0 + 6 * MINUTE, { exportedOnly: true })), 0, 'nothing exported yet');
      await claim(store, 3);
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(T0 + 6 * MINUTE, { exportedOnly: true })), 0, 'batch 1 claimed, not written');
      await store.read((rs) => rs.audit.completeExportBatch(1));
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(T0 + 6 * MINUTE, { exportedOnly: true })), 3);
      assert.equal(await store.read((rs) => rs.audit.purgeBefore(T0 + 6 * MINUTE, { exportedOnly: false })), 3, 'e3, e4, e5');
      assert.deepEqual(eventIds(await store.read((rs) => rs.audit.listAfter(0, 50))), ['e6', 'e7', 'e8', 'e9']);
      const all = [ACCOUNT_ID, OTHER_ACCOUNT_ID].map((accountId) =>
        store.read((rs) => rs.audit.lookup({ accountId, attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, ...WIDE, limit: 50 })),
      );
      assert.deepEqual((await Promise.all(all)).flat(), [], 'the resources of purged events are gone');
    });
  });
}
