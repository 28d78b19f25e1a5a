// Issue 5: the audit trail queried the way CloudTrail's LookupEvents is, and exported once.
//
// - Every lookup is scoped to one account, so each LookupEvents attribute gets an index that
//   starts with account_id and ends with (event_time, seq): a page is one index range scan, newest
//   first, whatever the table's size. They replace 0001's name and user indexes, which lacked the
//   account and the tiebreak.
// - Resources (LookupEvents' ResourceType/ResourceName) live in a side table, one row per resource
//   an event names.
// - Export: `export_batch` names the log-file batch an event went out in (NULL: not yet). A
//   batch is claimed by one conditional write on the cursor row, so instances never share one.
import { sql, type Kysely, type Migration } from 'kysely';
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
      await db.schema.alterTable('audit_events').addColumn('export_batch', time).execute();
      await db.schema.dropIndex('audit_events_name_time').execute();
      await db.schema.dropIndex('audit_events_user_time').execute();
      for (const [name, columns] of LOOKUP_COLUMNS) {
        await db.schema.createIndex(`audit_events_${name}`).on('audit_events').columns(['account_id', ...columns, 'event_time', 'seq']).execute();
      }
      // Partial indexes: an insert touches only the first; the second serves reading a batch back.
      await db.schema.createIndex('audit_events_unexported').on('audit_events').column('seq').where(sql.ref('export_batch'), 'is', null).execute();
      await db.schema.createIndex('audit_events_export_batch').on('audit_events').columns(['export_batch', 'seq']).where(sql.ref('export_batch'), 'is not', null).execute();

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
