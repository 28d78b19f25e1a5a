// The first schema: directory, console and login sessions, codes, tokens, credentials, jtis,
// audit events, signing keys, settings.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const initial = (dialect: Dialect): Migration => {
  const { time, serial } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alias', 'text', (c) => c.unique())
        .addColumn('root_email', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('principals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('password_changed_at', time)
        .addColumn('max_session_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('principals_account_kind_name', ['account_id', 'kind', 'name'])
        .execute();
      await db.schema
        .createTable('console_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('browser_digest', 'text', (c) => c.notNull())
        .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull())
        .addColumn('mfa', 'integer', (c) => c.notNull())
        .addColumn('source_ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('ended_at', time)
        .execute();
      await db.schema.createIndex('console_sessions_browser').on('console_sessions').columns(['browser_digest', 'expires_at']).execute();
      await db.schema
        .createTable('auth_codes')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text', (c) => c.notNull())
        .addColumn('console_session_id', 'text', (c) => c.notNull().references('console_sessions.id'))
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('consumed_at', time)
        .addColumn('login_session_id', 'text')
        .execute();
      await db.schema
        .createTable('login_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull())
        .addColumn('console_session_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('jkt', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('mfa', 'integer', (c) => c.notNull())
        .addColumn('password_changed_at', time)
        .addColumn('source_ip', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('revoked_at', time)
        .addColumn('revoke_reason', 'text')
        .execute();
      await db.schema.createIndex('login_sessions_account').on('login_sessions').columns(['account_id', 'created_at']).execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('login_session_id', 'text', (c) => c.notNull().references('login_sessions.id'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('consumed_at', time)
        .addColumn('replay_sealed', 'text')
        .execute();
      await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').column('login_session_id').execute();
      await db.schema
        .createTable('credentials')
        .addColumn('access_key_id', 'text', (c) => c.primaryKey())
        .addColumn('login_session_id', 'text', (c) => c.notNull().references('login_sessions.id'))
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('session_token_digest', 'text', (c) => c.notNull())
        .addColumn('issued_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('credentials_session').on('credentials').column('login_session_id').execute();
      await db.schema
        .createTable('dpop_jtis')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dpop_jtis_expiry').on('dpop_jtis').column('expires_at').execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('event_time', time, (c) => c.notNull())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('event_source', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('access_key_id', 'text')
        .addColumn('read_only', 'integer', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_time').on('audit_events').column('event_time').execute();
      await db.schema.createIndex('audit_events_name_time').on('audit_events').columns(['event_name', 'event_time']).execute();
      await db.schema.createIndex('audit_events_user_time').on('audit_events').columns(['username', 'event_time']).execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
};
