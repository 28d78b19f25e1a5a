// Record templates (store/audit-record-codec.ts): a templated event reads back whole through every
// reader, and a template stays exactly as long as an event may still need it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { cloudTrailJson, recordTemplate, type AuditInput } from '../../audit/cloudtrail-record.ts';
import { inputOf, sample } from '../../audit/golden-samples.ts';
import { templateFills } from '../../store/audit-record-codec.ts';
import { TEMPLATE_CACHE_LIMIT } from '../../store/repos/audit-events.ts';
import type { NewAuditEvent, Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, MINUTE, T0, auditEvent, withFreshStore } from './fixtures.ts';

const DAY = 24 * HOUR;

/** A session's first call, in the contract's account. */
const first: AuditInput = {
  ...inputOf(sample('CreateOAuth2Token')),
  principal: { principalId: ACCOUNT_ID, accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root`, sessionCreatedAt: T0 },
  accessKeyId: 'ASIAFIRSTKEY00000001',
  eventTime: T0,
};

/** The n-th call of the session: its own key, time, ids and client. */
const call = (n: number): AuditInput => ({
  ...first,
  accessKeyId: `ASIACALL${String(n).padStart(12, '0')}`,
  eventTime: T0 + n * MINUTE,
  eventId: `019a0000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  context: { requestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, sourceIp: `192.0.2.${n}`, userAgent: `aws-cli/2.${n} "quoted"`, ...(n % 2 === 0 && { tls: first.context.tls }) },
});

async function storeTemplate(store: Store, createdAt = T0): Promise<string> {
  const id = randomUUID();
  await store.read((rs) => rs.audit.createTemplate({ id, createdAt, parts: recordTemplate(first)! }));
  return id;
}

const templatedRow = (input: AuditInput, templateId: string): NewAuditEvent =>
  auditEvent(input.eventId, {
    event_time: input.eventTime,
    event_name: input.eventName,
    username: 'root',
    access_key_id: input.accessKeyId!,
    read_only: 1,
    request_id: input.context.requestId,
    record: '',
    template_id: templateId,
    template_fills: templateFills(input.context),
  });

export function auditTemplatesContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('audit record templates', () => {
    test('a templated event reads back whole through list, listAfter, lookup and export batches', async (store) => {
      const templateId = await storeTemplate(store);
      const calls = [1, 2, 3].map(call);
      for (const input of calls) await store.read((rs) => rs.audit.append(templatedRow(input, templateId)));
      await store.read((rs) => rs.audit.append(auditEvent('whole', { event_time: T0 + 4 * MINUTE })));
      const expected = new Map([...calls.map((input) => [input.eventId, cloudTrailJson(input)] as const), ['whole', auditEvent('whole').record]]);

      const check = (rows: Array<{ event_id: string; record: string }>, reader: string) => {
        assert.equal(rows.length, 4, reader);
        for (const row of rows) assert.equal(row.record, expected.get(row.event_id), `${reader}: ${row.event_id}`);
      };
      check(await store.read((rs) => rs.audit.list({})), 'list');
      check(await store.read((rs) => rs.audit.listAfter(0, 10)), 'listAfter');
      await store.transaction((tx) => tx.audit.indexQueued(10));
      check(await store.read((rs) => rs.audit.lookup({ accountId: ACCOUNT_ID, start: T0 - HOUR, end: T0 + HOUR, limit: 10 })), 'lookup');
      const claimed = await store.transaction((tx) => tx.audit.claimExportBatch(T0, 10));
      check(await store.read((rs) => rs.audit.eventsOfBatch(claimed!.batch)), 'eventsOfBatch');
    });

    test('one read needs more templates than readers keep cached: each row still gets its own', async (store) => {
      const calls = Array.from({ length: TEMPLATE_CACHE_LIMIT + 8 }, (_, i) => call(i + 1));
      await store.transaction(async (tx) => {
        for (const input of calls) {
          const templateId = randomUUID();
          await tx.audit.createTemplate({ id: templateId, createdAt: T0, parts: recordTemplate(input)! });
          await tx.audit.append(templatedRow(input, templateId));
        }
      });
      const rows = await store.read((rs) => rs.audit.listAfter(0, calls.length));
      assert.equal(rows.length, calls.length);
      rows.forEach((row, i) => assert.equal(row.record, cloudTrailJson(calls[i]!), row.event_id));
    });

    test('purge keeps a template while an event may still use it, and only then drops it', async (store) => {
      const purge = async (before: number, exportedOnly: boolean) => {
        await store.transaction((tx) => tx.audit.indexQueued(100));
        await store.read((rs) => rs.audit.purgeBefore(before, { exportedOnly }));
      };
      const kept = await storeTemplate(store);
      await store.read((rs) => rs.audit.append(templatedRow(call(1), kept)));
      await purge(T0 + 3 * DAY, true);
      assert.equal((await store.read((rs) => rs.audit.list({})))[0]?.record, cloudTrailJson(call(1)), 'an event not yet exported stays, and its template with it');
      await purge(T0 + 3 * DAY, false);
      assert.deepEqual(await store.read((rs) => rs.audit.list({})), []);

      // Its session may still record for 12 hours: a template stays a day past the cut-off. Both
      // are read for the first time after the purge, so nothing has them cached.
      const young = await storeTemplate(store, T0 + 2 * DAY + HOUR);
      const old = await storeTemplate(store, T0 + 2 * DAY - HOUR);
      await purge(T0 + 3 * DAY, false);
      const later = (n: number): AuditInput => ({ ...call(n), eventTime: T0 + 3 * DAY + n * MINUTE });
      await store.read((rs) => rs.audit.append(templatedRow(later(4), young)));
      assert.equal((await store.read((rs) => rs.audit.list({})))[0]?.record, cloudTrailJson(later(4)), 'less than a day older than the cut-off: kept');
      await store.read((rs) => rs.audit.append(templatedRow(later(5), old)));
      await assert.rejects(store.read((rs) => rs.audit.list({})), /record template .* is missing/, 'more than a day older: gone');
    });
  });
}
