// Issue 3, federated sign-in: the OpenID providers an account trusts, and the authorization
// requests Keyless has sent to one and not yet seen come back (state, nonce and PKCE verifier,
// bound to the browser that started them).
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const federation = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // `path` is the issuer without its scheme (host, port, path): what the provider's ARN
      // (`oidc-provider/{path}`) and its condition keys (`{path}:sub`) name, as in AWS.
      await db.schema
        .createTable('oidc_providers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      // One row per authorization request in flight, found by the digest of its `state` and
      // consumed by one conditional write: a callback is accepted once, in the browser it began in.
      await db.schema
        .createTable('federation_requests')
        .addColumn('state_digest', 'text', (c) => c.primaryKey())
        .addColumn('provider_id', 'text', (c) => c.notNull().references('oidc_providers.id'))
        .addColumn('browser_digest', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier_sealed', 'text', (c) => c.notNull())
        .addColumn('return_to', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('consumed_at', time)
        .execute();
      await db.schema.createIndex('federation_requests_expiry').on('federation_requests').column('expires_at').execute();
    },
  };
};
