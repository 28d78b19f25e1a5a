import type { ColumnType, Generated } from 'kysely';

// Table shapes, shared by SQLite and PostgreSQL. Times are epoch milliseconds (bigint in
// PostgreSQL, parsed back to number), booleans are 0/1 integers, so one set of queries serves both.

export interface AccountsTable {
  id: string;
  alias: string | null;
  root_email: string;
  created_at: number;
}

export interface PrincipalsTable {
  /** AWS unique id: `AIDA…` for IAM users, the account id for root. */
  id: string;
  account_id: string;
  kind: 'root' | 'user';
  /** User name; the root's e-mail address for root. */
  name: string;
  arn: string;
  password_hash: string | null;
  /** Bumped on every password change; a login session remembers the value it started with. */
  password_changed_at: number | null;
  max_session_seconds: number;
  created_at: number;
}

export interface ConsoleSessionsTable {
  id: string;
  /** SHA-256 of the browser cookie's secret: several sessions share one browser. */
  browser_digest: string;
  principal_id: string;
  account_id: string;
  arn: string;
  mfa: number;
  source_ip: string;
  user_agent: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export interface AuthCodesTable {
  /** SHA-256 of the code: the code itself is never stored. */
  digest: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  console_session_id: string;
  principal_id: string;
  region: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** The login session the code was redeemed for: revoked if the code is presented again. */
  login_session_id: string | null;
}

export interface LoginSessionsTable {
  id: string;
  principal_id: string;
  account_id: string;
  arn: string;
  console_session_id: string;
  client_id: string;
  /** RFC 7638 thumbprint of the DPoP key every refresh must be signed with (`cnf.jkt`). */
  jkt: string;
  region: string;
  mfa: number;
  /** The principal's password_changed_at when the session began (USER_CREDENTIALS_CHANGED). */
  password_changed_at: number | null;
  source_ip: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}

export interface RefreshTokensTable {
  digest: string;
  login_session_id: string;
  created_at: number;
  consumed_at: number | null;
  /** The sealed response that consumed this token, replayed to an identical retry within the grace window. */
  replay_sealed: string | null;
}

export interface CredentialsTable {
  access_key_id: string;
  login_session_id: string;
  /** The secret access key, sealed (AES-256-GCM, key id bound): SigV4 verification must recover it. */
  secret_sealed: string;
  session_token_digest: string;
  issued_at: number;
  expires_at: number;
}

export interface DpopJtisTable {
  /** SHA-256 of `jkt.jti`: a proof's jti is unique per key (RFC 9449 §11.1). */
  digest: string;
  expires_at: number;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  event_id: string;
  event_time: number;
  event_name: string;
  event_source: string;
  account_id: string;
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  request_id: string;
  /** The CloudTrail record, as JSON text. */
  record: string;
  /** The export batch whose log files carry this event; null until claimed (migration 0004). */
  export_batch: ColumnType<number | null, number | null | undefined, number | null>;
}

/** The resources an event names (LookupEvents' ResourceType / ResourceName), one row each. */
export interface AuditEventResourcesTable {
  seq: number;
  account_id: string;
  event_time: number;
  resource_type: string;
  resource_name: string;
}

/** The log-file export's position: batches up to `written_batch` are on disk. */
export interface AuditExportCursorTable {
  name: string;
  claimed_batch: number;
  written_batch: number;
  claimed_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_jwk_sealed: string;
  public_jwk: string;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MfaDevicesTable {
  principal_id: string;
  /** The TOTP secret (RFC 6238), sealed: it must be recovered to check codes, and is never logged. */
  secret_sealed: string;
  created_at: number;
  /** Null while enrolment waits for its confirming code. */
  enabled_at: number | null;
  /** The last time step a code was accepted for: a code is good once (RFC 6238 §5.2). */
  last_used_step: number | null;
}

export interface AuthThrottleTable {
  /** `password:{principal}`, `totp:{principal}`, `name:{typed name}`, `ip:{address}`. */
  key: string;
  window_start: number;
  attempts: number;
}

export interface ConsoleBrowsersTable {
  browser_digest: string;
  locked_at: number;
}

export interface Database {
  accounts: AccountsTable;
  principals: PrincipalsTable;
  console_sessions: ConsoleSessionsTable;
  auth_codes: AuthCodesTable;
  login_sessions: LoginSessionsTable;
  refresh_tokens: RefreshTokensTable;
  credentials: CredentialsTable;
  dpop_jtis: DpopJtisTable;
  audit_events: AuditEventsTable;
  audit_event_resources: AuditEventResourcesTable;
  audit_export_cursor: AuditExportCursorTable;
  signing_keys: SigningKeysTable;
  settings: SettingsTable;
  mfa_devices: MfaDevicesTable;
  auth_throttle: AuthThrottleTable;
  console_browsers: ConsoleBrowsersTable;
}
