// Issue 5: a login session's successful CreateOAuth2Token records share one template
// (store/audit-record-codec.ts), stored once when the session begins; each refresh's journal row
// keeps only the values that fill it. Building and writing the whole ~1 kB record inside every
// refresh's transaction was most of what recording cost a refresh.
//
// Adding nullable columns rewrites no row on either database: the journal keeps its existing
// events whole (template_id NULL), and sessions begun before this migration keep recording whole
// records until they end. Forward only: a Keyless from before it reads a templated row's record as
// empty, so instances sharing a PostgreSQL database are upgraded together and not rolled back.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const auditTemplates = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // `parts`: JSON array of the record's text between its holes. Ids are time-ordered (UUIDv7).
      await db.schema
        .createTable('audit_record_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('parts', 'text', (c) => c.notNull())
        .execute();
      // With template_id set, `record` is empty and the record is the template filled with the
      // row's columns and template_fills. No foreign key: a constraint checked on every refresh's
      // insert would cost what the template saves; the purge keeps templates while events use them.
      await db.schema.alterTable('audit_events').addColumn('template_id', 'text').execute();
      await db.schema.alterTable('audit_events').addColumn('template_fills', 'text').execute();
      await db.schema.alterTable('login_sessions').addColumn('audit_template_id', 'text').execute();
    },
  };
};
