// Issue 14 (session fixation): the browser cookie is renewed at every sign-in step and the
// browser's sessions move to the new value. `renewed_at` marks a value renewed away, so a second
// tab renewing the same value at the same moment is refused instead of splitting the sessions
// between two cookies. A nullable column: no row is rewritten on either database.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const browserRenewal = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('console_browsers').addColumn('renewed_at', time).execute();
    },
  };
};
