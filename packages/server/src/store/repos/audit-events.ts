// Audit events: appended to the journal in the same transaction as the change they record (one
// row), indexed in batches, looked up the way CloudTrail's
// LookupEvents pages (one account, one attribute, newest first, keyset pagination), claimed in
// batches for log-file export, and purged after the retention period. See migration 0004.
import { SqliteAdapter, type Insertable, type Kysely, type Selectable } from 'kysely';
import { fillTemplate, type RecordTemplate } from '../audit-record-codec.ts';
import type { AuditEventsTable, Database } from '../schema.ts';
import { dialectOf, FixedStatement } from '../fixed-sql.ts';

export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Omit<Insertable<AuditEventsTable>, 'seq'>;

/**
 * The journal's columns as an event's row writes them: the one list, for the statements written
 * out by hand (the rotation's, login-sessions.ts) beside the query builder's insert here.
 */
export const JOURNAL_COLUMNS = ['event_id', 'event_time', 'event_name', 'event_source', 'account_id', 'username', 'access_key_id', 'read_only', 'request_id', 'record', 'template_id', 'template_fills'] as const;
export type JournalColumn = (typeof JOURNAL_COLUMNS)[number];

/** An event's values in `JOURNAL_COLUMNS` order; an absent optional column is null. */
export const journalValues = (event: NewAuditEvent): unknown[] => JOURNAL_COLUMNS.map((column) => event[column] ?? null);

const EVENT_INSERT = `insert into audit_events (${JOURNAL_COLUMNS.join(', ')}) values (${JOURNAL_COLUMNS.map(() => '?').join(', ')})`;
const INSERT_EVENT = new FixedStatement(EVENT_INSERT);
const INSERT_EVENT_RETURNING_SEQ = new FixedStatement<{ seq: number | string }>(`${EVENT_INSERT} returning seq`);
const INSERT_RESOURCE = new FixedStatement('insert into audit_event_resources (seq, account_id, event_time, resource_type, resource_name) values (?, ?, ?, ?, ?)');

/** A resource an event names, as LookupEvents reports it (`AWS::IAM::User`, `alice`). */
export interface AuditResource {
  type: string;
  name: string;
}

/** LookupEvents' attribute keys and the column each filters on. */
export const LOOKUP_COLUMNS = {
  EventId: 'event_id',
  EventName: 'event_name',
  ReadOnly: 'read_only',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
  ResourceType: 'resource_type',
  ResourceName: 'resource_name',
} as const;
export type LookupKey = keyof typeof LOOKUP_COLUMNS;

/** Where a page ends: the last event returned; the next page starts strictly after it. */
export interface LookupPosition {
  time: number;
  seq: number;
}

export interface AuditLookup {
  accountId: string;
  /** ReadOnly takes "true" / "false". */
  attribute?: { key: LookupKey; value: string };
  /** Inclusive bounds, epoch milliseconds. */
  start: number;
  end: number;
  after?: LookupPosition;
  limit: number;
}

export type LookedUpEvent = AuditEventRow & { resources: AuditResource[] };

export interface ExportCursor {
  claimedBatch: number;
  writtenBatch: number;
  claimedAt: number;
}

/** The journal's columns that audit_lookup copies. */
const LOOKUP_COPY_COLUMNS = ['seq', 'event_id', 'event_time', 'event_name', 'event_source', 'account_id', 'username', 'access_key_id', 'read_only'] as const;

const CURSOR = 'cloudtrail';
const INDEX_CURSOR = 'lookup';
/** Rows deleted per statement when purging, so a purge never holds SQLite's write lock for long. */
const PURGE_CHUNK = 5000;
/**
 * A template outlives every event that uses it by this much at least: its events come from one
 * login session, which lasts 12 hours at most from when the template was stored (a test holds
 * this above the longest session IAM allows).
 */
export const TEMPLATE_MARGIN_MS = 24 * 3600_000;
/** Templates never change once stored: readers keep the latest few hundred parsed. */
export const TEMPLATE_CACHE_LIMIT = 512;
/** One per store (store.ts), shared by the repositories of all its transactions. */
export type TemplateCache = Map<string, RecordTemplate>;

export class AuditEventRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly templateCache: TemplateCache,
  ) {}

  /** Stores a record template (audit-record-codec.ts) for the events that will name its id. */
  async createTemplate(template: { id: string; createdAt: number; parts: RecordTemplate }): Promise<void> {
    await this.db.insertInto('audit_record_templates').values({ id: template.id, created_at: template.createdAt, parts: JSON.stringify(template.parts) }).execute();
  }

  /** Fixed statements (fixed-sql.ts): events are appended inside the transactions of hot paths (STS sessions). */
  async append(event: NewAuditEvent, resources: readonly AuditResource[] = []): Promise<void> {
    const dialect = dialectOf(this.db);
    if (resources.length === 0) {
      await INSERT_EVENT.run(this.db, dialect, journalValues(event));
      return;
    }
    const { rows } = await INSERT_EVENT_RETURNING_SEQ.run(this.db, dialect, journalValues(event));
    const seq = Number(rows[0]!.seq);
    const unique = [...new Map(resources.map((r) => [`${r.type}\n${r.name}`, r])).values()];
    for (const r of unique) await INSERT_RESOURCE.run(this.db, dialect, [seq, event.account_id, event.event_time, r.type, r.name]);
  }

  /** Newest first. For tests and diagnostics; LookupEvents uses `lookup`. */
  async list(filter: { accountId?: string; eventName?: string; username?: string; since?: number; limit?: number }): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
    if (filter.eventName) query = query.where('event_name', '=', filter.eventName);
    if (filter.username) query = query.where('username', '=', filter.username);
    if (filter.since !== undefined) query = query.where('event_time', '>=', filter.since);
    return this.withRecords(await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(filter.limit ?? 50).execute());
  }

  /**
   * One page of an account's events, newest first (event_time, then seq, descending). Each
   * attribute has an index (account_id, column, event_time, seq), so this is one range scan.
   */
  async lookup(q: AuditLookup): Promise<LookedUpEvent[]> {
    const key = q.attribute?.key;
    const rows = key === 'ResourceType' || key === 'ResourceName' ? await this.lookupByResource(q, LOOKUP_COLUMNS[key]) : await this.lookupByColumn(q);
    return this.withResources(rows);
  }

  private async lookupByColumn(q: AuditLookup): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_lookup').select(['seq']).where('account_id', '=', q.accountId);
    if (q.attribute) {
      const column = LOOKUP_COLUMNS[q.attribute.key] as Exclude<(typeof LOOKUP_COLUMNS)[LookupKey], 'resource_type' | 'resource_name'>;
      query = column === 'read_only' ? query.where('read_only', '=', q.attribute.value === 'true' ? 1 : 0) : query.where(column, '=', q.attribute.value);
    }
    query = query.where('event_time', '>=', q.start).where('event_time', '<=', q.end);
    if (q.after) {
      const { time, seq } = q.after;
      query = query.where((eb) => eb(eb.refTuple('event_time', 'seq'), '<', eb.tuple(time, seq)));
    }
    const page = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(q.limit).execute();
    return this.eventsBySeq(page.map((r) => Number(r.seq)));
  }

  private async lookupByResource(q: AuditLookup, column: 'resource_type' | 'resource_name'): Promise<AuditEventRow[]> {
    let query = this.db
      .selectFrom('audit_event_resources')
      .select(['seq', 'event_time'])
      .distinct()
      .where('account_id', '=', q.accountId)
      .where(column, '=', q.attribute!.value)
      .where('event_time', '>=', q.start)
      .where('event_time', '<=', q.end);
    if (q.after) {
      const { time, seq } = q.after;
      query = query.where((eb) => eb(eb.refTuple('event_time', 'seq'), '<', eb.tuple(time, seq)));
    }
    const page = await query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(q.limit).execute();
    return this.eventsBySeq(page.map((r) => Number(r.seq)));
  }

  /** The journal rows of these seqs, in the order given (missing ones — purged meanwhile — skipped). */
  private async eventsBySeq(seqs: number[]): Promise<AuditEventRow[]> {
    if (seqs.length === 0) return [];
    const rows = await this.withRecords(await this.db.selectFrom('audit_events').selectAll().where('seq', 'in', seqs).execute());
    const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
    return seqs.map((seq) => bySeq.get(seq)).filter((row): row is AuditEventRow => row !== undefined);
  }

  private async withResources(rows: AuditEventRow[]): Promise<LookedUpEvent[]> {
    if (rows.length === 0) return [];
    const resources = await this.db
      .selectFrom('audit_event_resources')
      .select(['seq', 'resource_type', 'resource_name'])
      .where('seq', 'in', rows.map((row) => row.seq))
      .execute();
    const bySeq = new Map<number, AuditResource[]>();
    for (const r of resources) {
      const list = bySeq.get(Number(r.seq)) ?? [];
      list.push({ type: r.resource_type, name: r.resource_name });
      bySeq.set(Number(r.seq), list);
    }
    return rows.map((row) => ({ ...row, resources: bySeq.get(Number(row.seq)) ?? [] }));
  }

  /** Events appended after `seq`, oldest first: what `keyless audit tail --follow` prints next. */
  async listAfter(seq: number, limit: number, accountId?: string): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll().where('seq', '>', seq);
    if (accountId) query = query.where('account_id', '=', accountId);
    return this.withRecords(await query.orderBy('seq').limit(limit).execute());
  }

  /** Rows with their whole record: a templated row's is its template filled with the row's values. */
  private async withRecords(rows: AuditEventRow[]): Promise<AuditEventRow[]> {
    // This call's templates: the cache's, and those it reads (more than the cache holds, maybe).
    const templates = new Map<string, RecordTemplate | undefined>();
    for (const row of rows) if (row.template_id !== null) templates.set(row.template_id, this.templateCache.get(row.template_id));
    const missing = [...templates].flatMap(([id, parts]) => (parts === undefined ? [id] : []));
    // In slices, to stay under the databases' limits on bound parameters.
    for (let i = 0; i < missing.length; i += 1000) {
      const found = await this.db.selectFrom('audit_record_templates').select(['id', 'parts']).where('id', 'in', missing.slice(i, i + 1000)).execute();
      for (const { id, parts } of found) {
        const template = JSON.parse(parts) as RecordTemplate;
        templates.set(id, template);
        if (this.templateCache.size >= TEMPLATE_CACHE_LIMIT) this.templateCache.delete(this.templateCache.keys().next().value as string);
        this.templateCache.set(id, template);
      }
    }
    for (const row of rows) {
      if (row.template_id === null) continue;
      const parts = templates.get(row.template_id);
      // The purge keeps a template while any event uses it, and a templated row always has its
      // fills: a row without either is a broken invariant, not a record to guess at.
      if (!parts) throw new Error(`audit event ${row.event_id}: its record template ${row.template_id} is missing`);
      row.record = fillTemplate(parts, row);
    }
    return rows;
  }

  /** The highest seq appended so far (0 when there is none). */
  async lastSeq(): Promise<number> {
    const row = await this.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  // ---- indexing ----------------------------------------------------------------------------

  /** SQLite serialises writers and assigns seq inside the write: there, events commit in seq order. */
  private get commitsInSeqOrder(): boolean {
    return this.db.getExecutor().adapter instanceof SqliteAdapter;
  }

  /** True when some appended event waits to be indexed (one indexed probe). */
  async hasUnindexed(): Promise<boolean> {
    if (this.commitsInSeqOrder) {
      const cursor = this.db.selectFrom('audit_index_cursor').select('seq').where('name', '=', INDEX_CURSOR);
      return (await this.db.selectFrom('audit_events').select('seq').where('seq', '>', cursor).limit(1).executeTakeFirst()) !== undefined;
    }
    return (await this.db.selectFrom('audit_unindexed').select('seq').limit(1).executeTakeFirst()) !== undefined;
  }

  /**
   * Copies up to `maxEvents` new events into audit_lookup; call it inside a transaction. Returns
   * how many. SQLite: the events after the cursor, which then moves to the last of them.
   * PostgreSQL: the queue's rows are taken by DELETE … RETURNING, so of concurrent indexers
   * (other instances) each event goes to exactly one, whatever order the events committed in.
   */
  async indexQueued(maxEvents: number): Promise<number> {
    if (this.commitsInSeqOrder) return this.indexAfterCursor(maxEvents);
    const taken = await this.db
      .deleteFrom('audit_unindexed')
      .where('seq', 'in', (eb) => eb.selectFrom('audit_unindexed').select('seq').orderBy('seq').limit(maxEvents))
      .returning('seq')
      .execute();
    const seqs = taken.map((r) => Number(r.seq));
    if (seqs.length === 0) return 0;
    await this.db
      .insertInto('audit_lookup')
      .columns(LOOKUP_COPY_COLUMNS)
      .expression((eb) => eb.selectFrom('audit_events').select(LOOKUP_COPY_COLUMNS).where('seq', 'in', seqs))
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    return seqs.length;
  }

  /**
   * SQLite: the next `maxEvents` events after the cursor are every seq in (cursor, last], so the
   * copy takes that range — two parameters and one statement text, where a list of up to 500
   * seqs made a new statement to compile and prepare for nearly every batch.
   */
  private async indexAfterCursor(maxEvents: number): Promise<number> {
    const { seq: cursor } = await this.db.selectFrom('audit_index_cursor').select('seq').where('name', '=', INDEX_CURSOR).executeTakeFirstOrThrow();
    const seqs = await this.db.selectFrom('audit_events').select('seq').where('seq', '>', cursor).orderBy('seq').limit(maxEvents).execute();
    if (seqs.length === 0) return 0;
    const last = Number(seqs.at(-1)!.seq);
    await this.db.updateTable('audit_index_cursor').set({ seq: last }).where('name', '=', INDEX_CURSOR).execute();
    await this.db
      .insertInto('audit_lookup')
      .columns(LOOKUP_COPY_COLUMNS)
      .expression((eb) => eb.selectFrom('audit_events').select(LOOKUP_COPY_COLUMNS).where('seq', '>', cursor).where('seq', '<=', last))
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    return seqs.length;
  }

  // ---- export ------------------------------------------------------------------------------

  async exportCursor(): Promise<ExportCursor> {
    const row = await this.db.selectFrom('audit_export_cursor').selectAll().where('name', '=', CURSOR).executeTakeFirstOrThrow();
    return { claimedBatch: Number(row.claimed_batch), writtenBatch: Number(row.written_batch), claimedAt: Number(row.claimed_at) };
  }

  /** True when some indexed event waits for a batch (the partial index makes this one probe). */
  async hasUnexported(): Promise<boolean> {
    const row = await this.db.selectFrom('audit_lookup').select('seq').where('export_batch', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims the next batch: the cursor moves from `claimed = written = n` to `claimed = n + 1` by
   * one conditional write (so of several instances exactly one succeeds, and none while a batch
   * is still unwritten), then up to `maxEvents` indexed, unexported events are stamped with it.
   * Call it inside a transaction, after indexing. Undefined when the cursor was not at rest.
   */
  async claimExportBatch(now: number, maxEvents: number): Promise<{ batch: number; events: number } | undefined> {
    const cursor = await this.db
      .updateTable('audit_export_cursor')
      .set((eb) => ({ claimed_batch: eb('claimed_batch', '+', 1), claimed_at: now }))
      .where('name', '=', CURSOR)
      .whereRef('claimed_batch', '=', 'written_batch')
      .returning('claimed_batch')
      .executeTakeFirst();
    if (!cursor) return undefined;
    const batch = Number(cursor.claimed_batch);
    const result = await this.db
      .updateTable('audit_lookup')
      .set({ export_batch: batch })
      .where('seq', 'in', (eb) => eb.selectFrom('audit_lookup').select('seq').where('export_batch', 'is', null).orderBy('seq').limit(maxEvents))
      .executeTakeFirst();
    return { batch, events: Number(result.numUpdatedRows) };
  }

  /** A batch's events in append order: the same rows, in the same order, on every call. */
  async eventsOfBatch(batch: number): Promise<AuditEventRow[]> {
    const seqs = await this.db.selectFrom('audit_lookup').select('seq').where('export_batch', '=', batch).orderBy('seq').execute();
    const rows: AuditEventRow[] = [];
    // In slices, to stay under the databases' limits on bound parameters.
    for (let i = 0; i < seqs.length; i += 1000) rows.push(...(await this.eventsBySeq(seqs.slice(i, i + 1000).map((r) => Number(r.seq)))));
    return rows;
  }

  /** Marks the claimed batch written; false when it was not the one pending (another instance finished it). */
  async completeExportBatch(batch: number): Promise<boolean> {
    const result = await this.db
      .updateTable('audit_export_cursor')
      .set({ written_batch: batch })
      .where('name', '=', CURSOR)
      .where('claimed_batch', '=', batch)
      .where('written_batch', '=', batch - 1)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // ---- retention ---------------------------------------------------------------------------

  /**
   * Deletes indexed events older than `before` (and their index rows and resources), in chunks.
   * With `exportedOnly`, only events whose batch is written: never one before it is exported.
   */
  async purgeBefore(before: number, options: { exportedOnly: boolean }): Promise<number> {
    let total = 0;
    for (;;) {
      let victims = this.db.selectFrom('audit_lookup').select('seq').where('event_time', '<', before);
      if (options.exportedOnly) {
        victims = victims
          .where('export_batch', 'is not', null)
          .where('export_batch', '<=', (eb) => eb.selectFrom('audit_export_cursor').select('written_batch').where('name', '=', CURSOR));
      }
      const seqs = (await victims.orderBy('seq').limit(PURGE_CHUNK).execute()).map((row) => Number(row.seq));
      if (seqs.length === 0) break;
      // The journal first: a crash midway leaves index rows of no event, which lookups skip.
      const result = await this.db.deleteFrom('audit_events').where('seq', 'in', seqs).executeTakeFirst();
      await this.db.deleteFrom('audit_lookup').where('seq', 'in', seqs).execute();
      await this.db.deleteFrom('audit_event_resources').where('seq', 'in', seqs).execute();
      total += Number(result.numDeletedRows);
      if (seqs.length < PURGE_CHUNK) break;
    }
    await this.purgeTemplates(before);
    return total;
  }

  /**
   * Templates no remaining event can use: older by the margin than both `before` and the oldest
   * event left (seq order is time order but for the moments transactions overlap). Events kept
   * past `before` (not yet exported) keep theirs.
   */
  private async purgeTemplates(before: number): Promise<void> {
    const oldest = await this.db.selectFrom('audit_events').select('event_time').orderBy('seq').limit(1).executeTakeFirst();
    const cutoff = Math.min(before, oldest === undefined ? before : Number(oldest.event_time)) - TEMPLATE_MARGIN_MS;
    await this.db.deleteFrom('audit_record_templates').where('created_at', '<', cutoff).execute();
  }
}
