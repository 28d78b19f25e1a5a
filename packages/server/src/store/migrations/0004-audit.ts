// Issue 5: the audit trail queried the way CloudTrail's LookupEvents is, and exported once.
//
// Recording must stay cheap — it sits inside every refresh's transaction — so `audit_events` is
// an append-only journal with no index but its primary key and 0001's event_id constraint (event
// ids are time-ordered, so that one appends too). An indexer (audit/indexer.ts) copies new
// events into `audit_lookup` in batches, one transaction per few hundred events: there every
// LookupEvents attribute has an index that starts with account_id and ends with (event_time,
// seq), so a page is one range scan, newest first. Lookups run the indexer first, so they never
// miss a committed event. How the indexer finds new events depends on the database:
// - SQLite: writers are serialised (BEGIN IMMEDIATE) and seq is assigned inside the write, so
//   events commit in seq order: a cursor (the last seq indexed) is exact and costs the append
//   nothing.
// - PostgreSQL: a sequence value is taken before commit, so a lower seq can commit after a higher
//   one; a trigger queues every new seq in `audit_unindexed`, and the indexer takes from the queue.
//
// Resources (LookupEvents' ResourceType/ResourceName) live in a side table, one row per resource
// an event names. Export: `audit_lookup.export_batch` names the log-file batch an event went out
// in (NULL: not yet); a batch is claimed by one conditional write on the cursor row.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

const LOOKUP_COLUMNS = [
  ['account_time', []],
  ['account_name', ['event_name']],
  ['account_user', ['username']],
  ['account_source', ['event_source']],
  ['account_key', ['access_key_id']],
  ['account_read_only', ['read_only']],
] as const;

export const audit = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // The journal keeps no secondary index but 0001's event_id constraint.
      for (const index of ['audit_events_time', 'audit_events_name_time', 'audit_events_user_time']) await db.schema.dropIndex(index).execute();

      if (dialect === 'sqlite') {
        // Events recorded before this migration are after the cursor's 0, so they get indexed too.
        await db.schema.createTable('audit_index_cursor').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('seq', time, (c) => c.notNull()).execute();
        await db.insertInto('audit_index_cursor').values({ name: 'lookup', seq: 0 }).execute();
      } else {
        await db.schema.createTable('audit_unindexed').addColumn('seq', time, (c) => c.primaryKey()).execute();
        await sql`create function audit_events_queue() returns trigger language plpgsql as $$ begin insert into audit_unindexed (seq) values (new.seq); return new; end $$`.execute(db);
        await sql`create trigger audit_events_queue after insert on audit_events for each row execute function audit_events_queue()`.execute(db);
        // Events recorded before this migration are queued too.
        await sql`insert into audit_unindexed (seq) select seq from audit_events`.execute(db);
      }

      await db.schema
        .createTable('audit_lookup')
        .addColumn('seq', time, (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_time', time, (c) => c.notNull())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('event_source', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('access_key_id', 'text')
        .addColumn('read_only', 'integer', (c) => c.notNull())
        .addColumn('export_batch', time)
        .execute();
      for (const [name, columns] of LOOKUP_COLUMNS) {
        await db.schema.createIndex(`audit_lookup_${name}`).on('audit_lookup').columns(['account_id', ...columns, 'event_time', 'seq']).execute();
      }
      await db.schema.createIndex('audit_lookup_event_id').on('audit_lookup').columns(['account_id', 'event_id']).execute();
      await db.schema.createIndex('audit_lookup_time').on('audit_lookup').column('event_time').execute();
      await db.schema.createIndex('audit_lookup_unexported').on('audit_lookup').column('seq').where(sql.ref('export_batch'), 'is', null).execute();
      await db.schema.createIndex('audit_lookup_export_batch').on('audit_lookup').columns(['export_batch', 'seq']).where(sql.ref('export_batch'), 'is not', null).execute();

      await db.schema
        .createTable('audit_event_resources')
        .addColumn('seq', time, (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('event_time', time, (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_event_resources_pk', ['seq', 'resource_type', 'resource_name'])
        .execute();
      await db.schema.createIndex('audit_event_resources_type').on('audit_event_resources').columns(['account_id', 'resource_type', 'event_time', 'seq']).execute();
      await db.schema.createIndex('audit_event_resources_name').on('audit_event_resources').columns(['account_id', 'resource_name', 'event_time', 'seq']).execute();

      // One row: the last batch claimed and the last whose files are written (claimed ≥ written).
      await db.schema
        .createTable('audit_export_cursor')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('claimed_batch', time, (c) => c.notNull())
        .addColumn('written_batch', time, (c) => c.notNull())
        .addColumn('claimed_at', time, (c) => c.notNull())
        .execute();
      await db.insertInto('audit_export_cursor').values({ name: 'cloudtrail', claimed_batch: 0, written_batch: 0, claimed_at: 0 }).execute();
    },
  };
};
