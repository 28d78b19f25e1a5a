// IAM users as IAM's API sees them: principals of kind `user`, listed and found by name whatever
// its case, their login profile (the console password) and their deletion with everything that
// hangs on them.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Principal } from './directory.ts';
import { nameIs, startsWith } from './iam-sql.ts';
import type { RevocationCounter } from '../revocations.ts';

export class IamUserRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly revocations: RevocationCounter,
  ) {}

  findByName(accountId: string, name: string): Promise<Principal | undefined> {
    return this.db.selectFrom('principals').selectAll().where('account_id', '=', accountId).where('kind', '=', 'user').where(nameIs(name)).executeTakeFirst();
  }

  /** By name, after `after` (the pagination marker), at most `limit`; `pathPrefix` matches the ARN's path. */
  list(filter: { accountId: string; pathPrefix?: string; after?: string; limit: number }): Promise<Principal[]> {
    let query = this.db.selectFrom('principals').selectAll().where('account_id', '=', filter.accountId).where('kind', '=', 'user');
    // A user's path lives in its ARN: `arn:aws:iam::ACCOUNT:user{path}{name}`.
    if (filter.pathPrefix) query = query.where(startsWith('arn', `arn:aws:iam::${filter.accountId}:user${filter.pathPrefix}`));
    if (filter.after !== undefined) query = query.where('name', '>', filter.after);
    return query.orderBy('name').limit(filter.limit).execute();
  }

  /**
   * Deletes the login profile: no console password, and — like a password change — the user's
   * login sessions stop at their next refresh (USER_CREDENTIALS_CHANGED). False without one.
   */
  async clearPassword(principalId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('principals')
      .set({ password_hash: null, password_changed_at: now })
      .where('id', '=', principalId)
      .where('password_hash', 'is not', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Deletes a user and everything that belongs to it: sessions, codes, issued credentials and
   * refresh tokens (so nothing it was given keeps working), its MFA device, memberships, tags
   * and policies. The audit trail keeps its events.
   */
  async deleteCascade(principalId: string): Promise<boolean> {
    this.revocations.bump();
    try {
      return await this.deleteEverything(principalId);
    } finally {
      this.revocations.bump();
    }
  }

  private async deleteEverything(principalId: string): Promise<boolean> {
    const db = this.db;
    const loginSessions = db.selectFrom('login_sessions').select('id').where('principal_id', '=', principalId);
    const consoleSessions = db.selectFrom('console_sessions').select('id').where('principal_id', '=', principalId);
    await db.deleteFrom('credentials').where('login_session_id', 'in', loginSessions).execute();
    await db.deleteFrom('refresh_tokens').where('login_session_id', 'in', loginSessions).execute();
    await db.deleteFrom('auth_codes').where((eb) => eb.or([eb('principal_id', '=', principalId), eb('console_session_id', 'in', consoleSessions)])).execute();
    await db.deleteFrom('login_sessions').where('principal_id', '=', principalId).execute();
    await db.deleteFrom('console_sessions').where('principal_id', '=', principalId).execute();
    await db.deleteFrom('mfa_devices').where('principal_id', '=', principalId).execute();
    await db.deleteFrom('iam_group_members').where('user_id', '=', principalId).execute();
    await db.deleteFrom('iam_tags').where('owner_id', '=', principalId).execute();
    await db.deleteFrom('iam_inline_policies').where('owner_id', '=', principalId).execute();
    await db.deleteFrom('iam_attachments').where('owner_id', '=', principalId).execute();
    const result = await db.deleteFrom('principals').where('id', '=', principalId).where('kind', '=', 'user').executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
