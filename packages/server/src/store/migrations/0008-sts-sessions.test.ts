// Migration 0008 on a database that already has OpenID providers (made by `keyless admin
// create-oidc-provider` before it): each keeps its one client id, now as its first audience, so
// tokens for it are taken by AssumeRoleWithWebIdentity right after the upgrade.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { initial } from './0001-initial.ts';
import { iam } from './0002-iam.ts';
import { mfaThrottle } from './0003-mfa-throttle.ts';
import { audit } from './0004-audit.ts';
import { federation } from './0005-federation.ts';
import { auditTemplates } from './0006-audit-templates.ts';
import { stsSessions } from './0008-sts-sessions.ts';

describe('migration 0008 (STS sessions, OpenID providers’ audiences)', () => {
  it('gives every existing provider its client id as its first audience', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    try {
      for (const migration of [initial, iam, mfaThrottle, audit, federation, auditTemplates]) await migration('sqlite').up(db);
      await db.insertInto('accounts').values({ id: '111122223333', alias: null, root_email: 'root@example.com', created_at: 1 }).execute();
      for (const [id, clientId] of [['p-1', 'keyless'], ['p-2', 'console']]) {
        await db
          .insertInto('oidc_providers')
          .values({ id, account_id: '111122223333', issuer: `https://${id}.example.com`, path: `${id}.example.com`, arn: `arn:aws:iam::111122223333:oidc-provider/${id}.example.com`, display_name: id, client_id: clientId, client_secret_sealed: 'sealed', created_at: 5 })
          .execute();
      }
      await stsSessions('sqlite').up(db);
      const audiences = await db.selectFrom('oidc_provider_audiences').selectAll().orderBy('provider_id').execute();
      assert.deepEqual(audiences, [
        { provider_id: 'p-1', client_id: 'keyless', added_at: 5 },
        { provider_id: 'p-2', client_id: 'console', added_at: 5 },
      ]);
      assert.deepEqual(await db.selectFrom('sts_sessions').selectAll().execute(), []);
    } finally {
      await db.destroy();
    }
  });
});
