// Audit events: appended, listed newest first, filtered the way the admin commands ask.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Store } from '../store.ts';
import type { TestBackend } from '../test-backends.ts';
import { MINUTE, OTHER_ACCOUNT_ID, T0, auditEvent, withFreshStore } from './fixtures.ts';

async function seedEvents(store: Store): Promise<void> {
  for (const event of [
    auditEvent('e1', { event_time: T0, event_name: 'ConsoleLogin', username: 'alice' }),
    auditEvent('e2', { event_time: T0 + MINUTE, event_name: 'CreateOAuth2Token', username: 'alice', access_key_id: 'ASIAEXAMPLE', read_only: 1 }),
    auditEvent('e3', { event_time: T0 + 2 * MINUTE, event_name: 'ConsoleLogin', username: 'bob' }),
    auditEvent('e4', { event_time: T0 + 2 * MINUTE, event_name: 'ConsoleLogin', username: null, account_id: OTHER_ACCOUNT_ID }),
  ]) {
    await store.audit.append(event);
  }
}

const eventIds = (rows: Array<{ event_id: string }>): string[] => rows.map((row) => row.event_id);

export function auditContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('audit', () => {
    test('list: newest first, same-time events by append order (newest first); seq increases', async (store) => {
      await seedEvents(store);
      const all = await store.audit.list({});
      assert.deepEqual(eventIds(all), ['e4', 'e3', 'e2', 'e1']);
      const seqs = all.map((row) => row.seq).reverse();
      assert.ok(seqs.every((seq, i) => typeof seq === 'number' && (i === 0 || seq > seqs[i - 1]!)), `seq increasing: ${seqs}`);
    });

    test('an event reads back exactly as appended', async (store) => {
      const event = auditEvent('e2', { access_key_id: 'ASIAEXAMPLE', read_only: 1, username: null });
      await store.audit.append(event);
      const [row] = await store.audit.list({});
      assert.deepEqual({ ...row, seq: undefined }, { ...event, seq: undefined });
    });

    test('list filters by eventName, username, accountId and since, combined', async (store) => {
      await seedEvents(store);
      assert.deepEqual(eventIds(await store.audit.list({ eventName: 'ConsoleLogin' })), ['e4', 'e3', 'e1']);
      assert.deepEqual(eventIds(await store.audit.list({ username: 'alice' })), ['e2', 'e1']);
      assert.deepEqual(eventIds(await store.audit.list({ accountId: OTHER_ACCOUNT_ID })), ['e4']);
      assert.deepEqual(eventIds(await store.audit.list({ since: T0 + MINUTE })), ['e4', 'e3', 'e2'], 'since is inclusive');
      assert.deepEqual(eventIds(await store.audit.list({ eventName: 'ConsoleLogin', username: 'alice' })), ['e1']);
      assert.deepEqual(eventIds(await store.audit.list({ eventName: 'ConsoleLogin', since: T0 + MINUTE, accountId: '111122223333' })), ['e3']);
      assert.deepEqual(eventIds(await store.audit.list({ limit: 2 })), ['e4', 'e3']);
      assert.deepEqual(await store.audit.list({ username: 'nobody' }), []);
    });

    test('event_id is unique', async (store) => {
      await store.audit.append(auditEvent('e1'));
      await assert.rejects(store.audit.append(auditEvent('e1', { request_id: 'another' })));
      assert.equal((await store.audit.list({})).length, 1);
    });
  });
}
