// Login sessions (one per `keyless login`), their rotating refresh tokens and issued credentials.
import type { Kysely, Selectable } from 'kysely';
import type { CredentialsTable, Database, LoginSessionsTable, RefreshTokensTable, StsSessionsTable } from '../schema.ts';
import { dialectOf, FixedStatement, type SqlDialect } from '../fixed-sql.ts';
import { JOURNAL_COLUMNS, journalValues, type JournalColumn, type NewAuditEvent } from './audit-events.ts';
import type { RevocationCounter } from '../revocations.ts';

export type LoginSession = Selectable<LoginSessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type CredentialRow = Selectable<CredentialsTable>;

/** A refresh token with its session and what the grant checks of the session's principal, read at once. */
export interface RefreshGrantRow {
  token: RefreshTokenRow;
  session: LoginSession;
  /** Undefined when the principal no longer exists. */
  principal: { password_changed_at: number | null } | undefined;
}

/** What a rotation writes once it has consumed the presented token. */
export interface Rotation {
  digest: string;
  now: number;
  /** The sealed response, answered again to an identical retry within the window. */
  replaySealed: string;
  successorDigest: string;
  credential: CredentialRow;
  /** The CreateOAuth2Token event, written with the credential it records (issue 5). */
  event?: NewAuditEvent;
}

export interface CredentialWithSession {
  credential: CredentialRow;
  session: LoginSession;
  /** Set for a role session issued by STS: its session policies, tags and source identity. */
  sts?: Selectable<StsSessionsTable>;
}

// The token's session is its foreign key, so the inner join loses nothing; the principal may be gone.
const FIND_REFRESH_GRANT = new FixedStatement<Record<string, unknown>>(
  'select ls.*, rt.login_session_id as rt_login_session_id, rt.created_at as rt_created_at, rt.consumed_at as rt_consumed_at, ' +
    'rt.replay_sealed as rt_replay_sealed, p.id as p_id, p.password_changed_at as p_password_changed_at ' +
    'from refresh_tokens rt join login_sessions ls on ls.id = rt.login_session_id left join principals p on p.id = ls.principal_id ' +
    'where rt.digest = ?',
);
const CONSUME = 'update refresh_tokens set consumed_at = ?, replay_sealed = ? where digest = ? and consumed_at is null';
const SQLITE_CONSUME = new FixedStatement(CONSUME);
const SQLITE_INSERT_SUCCESSOR = new FixedStatement('insert into refresh_tokens (digest, login_session_id, created_at, consumed_at, replay_sealed) values (?, ?, ?, null, null)');
const CREDENTIAL_COLUMNS = 'access_key_id, login_session_id, secret_sealed, session_token_digest, issued_at, expires_at';
const SQLITE_INSERT_CREDENTIAL = new FixedStatement(`insert into credentials (${CREDENTIAL_COLUMNS}) values (?, ?, ?, ?, ?, ?)`);
const EVENT_COLUMNS = JOURNAL_COLUMNS.join(', ');
const SQLITE_INSERT_EVENT = new FixedStatement(`insert into audit_events (${EVENT_COLUMNS}) values (${JOURNAL_COLUMNS.map(() => '?').join(', ')})`);
/** PostgreSQL types a parameter by its first use; in `insert … select` these need saying. */
const POSTGRES_CASTS: Partial<Record<JournalColumn, string>> = { event_time: '::bigint', read_only: '::integer' };
const POSTGRES_EVENT_PARAMETERS = JOURNAL_COLUMNS.map((column) => `?${POSTGRES_CASTS[column] ?? ''}`).join(', ');
/**
 * PostgreSQL: the whole rotation is one statement, one round trip (each costs the server a
 * ~0.2 ms writev here). The UPDATE is still the one conditional write; every insert selects
 * from its RETURNING, so nothing is written unless this statement consumed the token.
 */
const postgresRotation = (withEvent: boolean) =>
  new FixedStatement<{ rotated: number }>(
    `with consumed as (${CONSUME} returning login_session_id), ` +
      'successor as (insert into refresh_tokens (digest, login_session_id, created_at) select ?, ?, ?::bigint from consumed), ' +
      `credential as (insert into credentials (${CREDENTIAL_COLUMNS}) select ?, ?, ?, ?, ?::bigint, ?::bigint from consumed)` +
      (withEvent ? `, event as (insert into audit_events (${EVENT_COLUMNS}) select ${POSTGRES_EVENT_PARAMETERS} from consumed)` : '') +
      ' select count(*)::integer as rotated from consumed',
  );
const POSTGRES_ROTATE = postgresRotation(true);
const POSTGRES_ROTATE_WITHOUT_EVENT = postgresRotation(false);

export interface ActiveSessionFilter {
  now: number;
  accountId?: string;
  principalId?: string;
}

export class LoginSessionRepo {
  private readonly dialect: SqlDialect;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly revocations: RevocationCounter,
  ) {
    this.dialect = dialectOf(db);
  }

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
  /**
   * Active sessions, newest first, `limit` at a time (default 1,000); `after` is the last one of the
   * previous page (keyset paging: a page does not shift when sessions begin or end meanwhile).
   */
  listActive(filter: ActiveSessionFilter & { limit?: number; after?: { createdAt: number; id: string } }): Promise<LoginSession[]> {
    let query = this.activeSessions(filter).selectAll();
    const after = filter.after;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 1000).execute();
  }

  async countActive(filter: ActiveSessionFilter): Promise<number> {
    const row = await this.activeSessions(filter).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private activeSessions(filter: ActiveSessionFilter) {
    let query = this.db.selectFrom('login_sessions').where('revoked_at', 'is', null).where('expires_at', '>', filter.now);
    if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
    if (filter.principalId) query = query.where('principal_id', '=', filter.principalId);
    return query;
  }

  async insertRefreshToken(token: RefreshTokenRow): Promise<void> {
    await this.db.insertInto('refresh_tokens').values(token).execute();
  }

  findRefreshToken(digest: string): Promise<RefreshTokenRow | undefined> {
    return this.db.selectFrom('refresh_tokens').selectAll().where('digest', '=', digest).executeTakeFirst();
  }

  /** The refresh grant's one read: the token, its session and the session principal's password state. */
  async findRefreshGrant(digest: string): Promise<RefreshGrantRow | undefined> {
    const { rows } = await FIND_REFRESH_GRANT.run(this.db, this.dialect, [digest]);
    const row = rows[0];
    if (!row) return undefined;
    const { rt_login_session_id, rt_created_at, rt_consumed_at, rt_replay_sealed, p_id, p_password_changed_at, ...session } = row;
    return {
      token: {
        digest,
        login_session_id: rt_login_session_id as string,
        created_at: rt_created_at as number,
        consumed_at: rt_consumed_at as number | null,
        replay_sealed: rt_replay_sealed as string | null,
      },
      session: session as unknown as LoginSession,
      principal: p_id === null || p_id === undefined ? undefined : { password_changed_at: p_password_changed_at as number | null },
    };
  }

  /**
   * Rotation as one conditional write (STYLE.md principle 5): consumes the token if nobody has
   * yet, and only then stores its successor, the credential and its audit event — all in the
   * caller's transaction. False when the token was already consumed; then nothing was written.
   */
  async rotate(rotation: Rotation): Promise<boolean> {
    const { digest, now, replaySealed, successorDigest, credential: c, event } = rotation;
    const credential = [c.access_key_id, c.login_session_id, c.secret_sealed, c.session_token_digest, c.issued_at, c.expires_at];
    if (this.dialect === 'postgres') {
      const statement = event ? POSTGRES_ROTATE : POSTGRES_ROTATE_WITHOUT_EVENT;
      const parameters = [now, replaySealed, digest, successorDigest, c.login_session_id, now, ...credential];
      const { rows } = await statement.run(this.db, 'postgres', event ? [...parameters, ...journalValues(event)] : parameters);
      return rows[0]?.rotated === 1;
    }
    // SQLite: statements in the process are cheap; the transaction holds the write lock throughout.
    const consumed = await SQLITE_CONSUME.run(this.db, 'sqlite', [now, replaySealed, digest]);
    if (consumed.numAffectedRows !== 1n) return false;
    await SQLITE_INSERT_SUCCESSOR.run(this.db, 'sqlite', [successorDigest, c.login_session_id, now]);
    await SQLITE_INSERT_CREDENTIAL.run(this.db, 'sqlite', credential);
    if (event) await SQLITE_INSERT_EVENT.run(this.db, 'sqlite', journalValues(event));
    return true;
  }

  async insertCredential(credential: CredentialRow): Promise<void> {
    await this.db.insertInto('credentials').values(credential).execute();
  }

  /**
   * What a SigV4 check needs for a key id, in one indexed read: the sealed secret, the session's
   * state, and for a role session issued by STS what it carries beyond a login session.
   */
  async findCredential(accessKeyId: string): Promise<CredentialWithSession | undefined> {
    const row = await this.db
      .selectFrom('credentials')
      .innerJoin('login_sessions', 'login_sessions.id', 'credentials.login_session_id')
      .leftJoin('sts_sessions', 'sts_sessions.login_session_id', 'credentials.login_session_id')
      .selectAll('login_sessions')
      .select([
        'credentials.access_key_id as c_access_key_id',
        'credentials.secret_sealed as c_secret_sealed',
        'credentials.session_token_digest as c_session_token_digest',
        'credentials.issued_at as c_issued_at',
        'credentials.expires_at as c_expires_at',
        'sts_sessions.operation as s_operation',
        'sts_sessions.source_identity as s_source_identity',
        'sts_sessions.session_policy as s_session_policy',
        'sts_sessions.session_policy_arns as s_session_policy_arns',
        'sts_sessions.tags as s_tags',
        'sts_sessions.transitive_tag_keys as s_transitive_tag_keys',
        'sts_sessions.federated_provider as s_federated_provider',
        'sts_sessions.created_at as s_created_at',
      ])
      .where('credentials.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { c_access_key_id, c_secret_sealed, c_session_token_digest, c_issued_at, c_expires_at, s_operation, s_source_identity, s_session_policy, s_session_policy_arns, s_tags, s_transitive_tag_keys, s_federated_provider, s_created_at, ...session } = row;
    const found: CredentialWithSession = {
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
    if (s_operation !== null) {
      found.sts = {
        login_session_id: session.id,
        operation: s_operation,
        source_identity: s_source_identity,
        session_policy: s_session_policy,
        session_policy_arns: s_session_policy_arns,
        tags: s_tags,
        transitive_tag_keys: s_transitive_tag_keys,
        federated_provider: s_federated_provider,
        created_at: s_created_at!,
      };
    }
    return found;
  }
}
