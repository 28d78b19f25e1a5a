// Role sessions issued by STS (AssumeRole, AssumeRoleWithWebIdentity): a login_sessions row, its
// sts_sessions row and its one credential, written together by `issue` in the caller's
// transaction (with the CloudTrail event the caller appends beside them: issue 16, "a credential
// is never issued without its audit record"). Reads go through LoginSessionRepo.findCredential.
import type { Kysely, Selectable } from 'kysely';
import type { Database, StsSessionsTable } from '../schema.ts';
import type { CredentialRow, LoginSession } from './login-sessions.ts';
import type { RevocationCounter } from '../revocations.ts';

export type StsSession = Selectable<StsSessionsTable>;

export interface IssuedRoleSession {
  session: LoginSession;
  sts: StsSession;
  credential: CredentialRow;
}

export class StsSessionRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly revocations: RevocationCounter,
  ) {}

  async issue(issued: IssuedRoleSession): Promise<void> {
    await this.db.insertInto('login_sessions').values(issued.session).execute();
    await this.db.insertInto('sts_sessions').values(issued.sts).execute();
    await this.db.insertInto('credentials').values(issued.credential).execute();
  }

  find(loginSessionId: string): Promise<StsSession | undefined> {
    return this.db.selectFrom('sts_sessions').selectAll().where('login_session_id', '=', loginSessionId).executeTakeFirst();
  }

  /**
   * Revokes every live session of the role `principalId` (its AROA id) that began before
   * `before`, STS-issued or console-federated alike; the number revoked. One conditional write.
   */
  async revokeRoleSessions(principalId: string, before: number, reason: string, now: number): Promise<number> {
    this.revocations.bump();
    const result = await this.db
      .updateTable('login_sessions')
      .set({ revoked_at: now, revoke_reason: reason })
      .where('principal_id', '=', principalId)
      .where('revoked_at', 'is', null)
      .where('created_at', '<', before)
      .executeTakeFirst()
      .finally(() => this.revocations.bump());
    return Number(result.numUpdatedRows);
  }
}
