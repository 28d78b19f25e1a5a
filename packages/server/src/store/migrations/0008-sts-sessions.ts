// Issue 16 (0008: the security branch's 0007 is the console browser renewal), STS AssumeRole and AssumeRoleWithWebIdentity: what a role session issued by STS
// carries beyond a login session — its session policies, session tags, source identity and how it
// began — and the audiences (client ids) an OpenID provider accepts, as IAM keeps a list of them.
//
// A role session issued by STS is a login_sessions row like any other (credentials, revocation
// and SigV4 verification need nothing new); `sts_sessions` holds the rest, one row per session,
// read with the credential in the same indexed join. New tables only: no existing row is
// rewritten, and a Keyless from before this migration ignores them (its STS issues none).
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const stsSessions = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sts_sessions')
        .addColumn('login_session_id', 'text', (c) => c.primaryKey().references('login_sessions.id'))
        // 'AssumeRole' or 'AssumeRoleWithWebIdentity'.
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('source_identity', 'text')
        // The inline session policy as given (validated), and the managed ones' ARNs (JSON array).
        .addColumn('session_policy', 'text')
        .addColumn('session_policy_arns', 'text')
        // Session tags (JSON object) and which of them pass on to a chained session (JSON array).
        .addColumn('tags', 'text')
        .addColumn('transitive_tag_keys', 'text')
        // The OpenID provider's ARN of a web identity session (CloudTrail's webIdFederationData).
        .addColumn('federated_provider', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      // IAM's ClientIDList: the `aud` values an OpenID provider's tokens may carry. Filled from the
      // one client id each provider had (the console's sign-in client, which stays in oidc_providers).
      await db.schema
        .createTable('oidc_provider_audiences')
        .addColumn('provider_id', 'text', (c) => c.notNull().references('oidc_providers.id'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('added_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('oidc_provider_audiences_pk', ['provider_id', 'client_id'])
        .execute();
      await db
        .insertInto('oidc_provider_audiences')
        .columns(['provider_id', 'client_id', 'added_at'])
        .expression(db.selectFrom('oidc_providers').select(['id', 'client_id', 'created_at']))
        .execute();
    },
  };
};
