// Login sessions (one per `keyless login`), their rotating refresh tokens and issued credentials.
import type { Kysely, Selectable } from 'kysely';
import type { CredentialsTable, Database, LoginSessionsTable, RefreshTokensTable } from '../schema.ts';
import type { RevocationCounter } from '../revocations.ts';

export type LoginSession = Selectable<LoginSessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type CredentialRow = Selectable<CredentialsTable>;

export interface CredentialWithSession {
  credential: CredentialRow;
  session: LoginSession;
}

export class LoginSessionRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly revocations: RevocationCounter,
  ) {}

  async create(session: LoginSession): Promise<void> {
    await this.db.insertInto('login_sessions').values(session).execute();
  }

  find(id: string): Promise<LoginSession | undefined> {
    return this.db.selectFrom('login_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Revokes a session unless it already was; true when this call revoked it. */
  async revoke(id: string, reason: string, now: number): Promise<boolean> {
    this.revocations.bump();
    const result = await this.db
      .updateTable('login_sessions')
      .set({ revoked_at: now, revoke_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
      .finally(() => this.revocations.bump());
    return result.numUpdatedRows > 0n;
  }

  /** Sessions that are neither revoked nor expired, newest first, optionally for one account or principal. */
  listActive(filter: { now: number; accountId?: string; principalId?: string; limit?: number }): Promise<LoginSession[]> {
    let query = this.db
      .selectFrom('login_sessions')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', filter.now);
    if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
    if (filter.principalId) query = query.where('principal_id', '=', filter.principalId);
    return query.orderBy('created_at', 'desc').limit(filter.limit ?? 1000).execute();
  }

  async insertRefreshToken(token: RefreshTokenRow): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(token).execute();
  }

  findRefreshToken(digest: string): Promise<RefreshTokenRow | undefined> {
    return this.db.selectFrom('refresh_tokens').selectAll().where('digest', '=', digest).executeTakeFirst();
  }

  /**
   * Rotation: consumes the token if nobody has yet and stores the sealed response for retries.
   * A single conditional write — never read-then-write — so concurrent refreshes of one token
   * produce exactly one winner (STYLE.md principle 5).
   */
  consumeRefreshToken(digest: string, now: number, replaySealed: string): Promise<RefreshTokenRow | undefined> {
    return this.db
      .updateTable('refresh_tokens')
      .set({ consumed_at: now, replay_sealed: replaySealed })
      .where('digest', '=', digest)
      .where('consumed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  async insertCredential(credential: CredentialRow): Promise<void> {
    await this.db.insertInto('credentials').values(credential).execute();
  }

  /** What a SigV4 check needs for a key id, in one indexed read: the sealed secret and the session's state. */
  async findCredential(accessKeyId: string): Promise<CredentialWithSession | undefined> {
    const row = await this.db
      .selectFrom('credentials')
      .innerJoin('login_sessions', 'login_sessions.id', 'credentials.login_session_id')
      .selectAll('login_sessions')
      .select([
        'credentials.access_key_id as c_access_key_id',
        'credentials.secret_sealed as c_secret_sealed',
        'credentials.session_token_digest as c_session_token_digest',
        'credentials.issued_at as c_issued_at',
        'credentials.expires_at as c_expires_at',
      ])
      .where('credentials.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { c_access_key_id, c_secret_sealed, c_session_token_digest, c_issued_at, c_expires_at, ...session } = row;
    return {
      credential: {
        access_key_id: c_access_key_id,
        login_session_id: session.id,
        secret_sealed: c_secret_sealed,
        session_token_digest: c_session_token_digest,
        issued_at: c_issued_at,
        expires_at: c_expires_at,
      },
      session,
    };
  }
}
