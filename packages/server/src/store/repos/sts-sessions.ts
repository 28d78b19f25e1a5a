// Role sessions issued by STS (AssumeRole, AssumeRoleWithWebIdentity): a login_sessions row, its
// sts_sessions row and its one credential, written together by `issue` in the caller's
// transaction (with the CloudTrail event the caller appends beside them: issue 16, "a credential
// is never issued without its audit record"). Reads go through LoginSessionRepo.findCredential.
import type { Kysely, Selectable } from 'kysely';
import type { Database, StsSessionsTable } from '../schema.ts';
import type { CredentialRow, LoginSession } from './login-sessions.ts';
import type { RevocationCounter } from '../revocations.ts';
import { dialectOf, FixedStatement } from '../fixed-sql.ts';

export type StsSession = Selectable<StsSessionsTable>;

const SESSION_COLUMNS = ['id', 'principal_id', 'account_id', 'arn', 'console_session_id', 'client_id', 'jkt', 'region', 'mfa', 'password_changed_at', 'source_ip', 'created_at', 'expires_at', 'revoked_at', 'revoke_reason', 'audit_template_id'] as const satisfies readonly (keyof LoginSession)[];
const STS_COLUMNS = ['login_session_id', 'operation', 'source_identity', 'session_policy', 'session_policy_arns', 'tags', 'transitive_tag_keys', 'federated_provider', 'created_at'] as const satisfies readonly (keyof StsSession)[];
const CREDENTIAL_COLUMNS = ['access_key_id', 'login_session_id', 'secret_sealed', 'session_token_digest', 'issued_at', 'expires_at'] as const satisfies readonly (keyof CredentialRow)[];
const insertInto = (table: string, columns: readonly string[]) => new FixedStatement(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
const INSERT_SESSION = insertInto('login_sessions', SESSION_COLUMNS);
const INSERT_STS = insertInto('sts_sessions', STS_COLUMNS);
const INSERT_CREDENTIAL = insertInto('credentials', CREDENTIAL_COLUMNS);

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

  /** Three fixed statements (fixed-sql.ts): this runs in every AssumeRole's transaction. */
  async issue(issued: IssuedRoleSession): Promise<void> {
    const dialect = dialectOf(this.db);
    const { session: s, sts: t, credential: c } = issued;
    await INSERT_SESSION.run(this.db, dialect, SESSION_COLUMNS.map((column) => s[column]));
    await INSERT_STS.run(this.db, dialect, STS_COLUMNS.map((column) => t[column]));
    await INSERT_CREDENTIAL.run(this.db, dialect, CREDENTIAL_COLUMNS.map((column) => c[column]));
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
