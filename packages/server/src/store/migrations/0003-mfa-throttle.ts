// Issue 3: TOTP devices, the sign-in throttle and the per-browser lock row that keeps a browser at
// five console sessions however many tabs sign in at once.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const mfaThrottle = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // One virtual MFA device per principal. `enabled_at` NULL: enrolment started, not confirmed.
      await db.schema
        .createTable('mfa_devices')
        .addColumn('principal_id', 'text', (c) => c.primaryKey().references('principals.id'))
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('enabled_at', time)
        .addColumn('last_used_step', time)
        .execute();
      // Sign-in attempts per key (a principal, a typed name, a source address) in a fixed window.
      await db.schema
        .createTable('auth_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', time, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('auth_throttle_window').on('auth_throttle').column('window_start').execute();
      // One row per browser, written first by every transaction that adds a console session to it:
      // the row lock serialises them on PostgreSQL (SQLite's BEGIN IMMEDIATE already does).
      await db.schema
        .createTable('console_browsers')
        .addColumn('browser_digest', 'text', (c) => c.primaryKey())
        .addColumn('locked_at', time, (c) => c.notNull())
        .execute();
    },
  };
};
