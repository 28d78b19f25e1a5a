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
  /** AWS unique id: `AIDA…` for IAM users, the account id for root, `AROA…` for a role (issue 3). */
  id: string;
  account_id: string;
  /** 'role': a role's sessions hang off this row (federated sign-in); the role itself is in iam_roles. */
  kind: 'root' | 'user' | 'role';
  /** User name; the root's e-mail address for root; the role name for a role. */
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
  /** The template of the session's successful CreateOAuth2Token records (NULL: they are stored whole). */
  audit_template_id: string | null;
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
  /** The CloudTrail record, as JSON text; empty when template_id is set. */
  record: string;
  /** The record is this template (audit_record_templates) filled with the row's columns and template_fills. */
  template_id: string | null;
  /** What the row's columns do not hold of a templated record: JSON of [sourceIp, userAgent, tlsDetails?]. */
  template_fills: string | null;
}

/** A record's text between its holes (store/audit-record-codec.ts), shared by a login session's events. */
export interface AuditRecordTemplatesTable {
  id: string;
  created_at: number;
  /** JSON array of strings. */
  parts: string;
}

/** PostgreSQL: an event's seq, queued by a trigger on insert until the indexer copies it into audit_lookup. */
export interface AuditUnindexedTable {
  seq: number;
}

/** SQLite: the last seq the indexer copied into audit_lookup (events commit in seq order there). */
export interface AuditIndexCursorTable {
  name: string;
  seq: number;
}

/** The indexed copy of an event's lookup attributes (migration 0004; filled in batches). */
export interface AuditLookupTable {
  seq: number;
  event_id: string;
  event_time: number;
  event_name: string;
  event_source: string;
  account_id: string;
  username: string | null;
  access_key_id: string | null;
  read_only: number;
  /** The export batch whose log files carry this event; null until claimed. */
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
  /** `password:{principal}`, `totp:{principal}` (each also `…:device:{id}` for a known browser), `name:{typed name}`, `ip:{address}`. */
  key: string;
  window_start: number;
  attempts: number;
}

export interface ConsoleBrowsersTable {
  browser_digest: string;
  locked_at: number;
  /** When this cookie value was renewed away at a sign-in step (migration 0007); NULL: it is current. */
  renewed_at: number | null;
}

// Issue 4 (migration 0002): IAM and Organizations. Owner ids are AWS unique ids, globally
// unique across kinds: AIDA… users, AGPA… groups, AROA… roles, ANPA… policies.

export type IamOwnerType = 'user' | 'group' | 'role';

export interface IamPoliciesTable {
  id: string;
  account_id: string;
  name: string;
  path: string;
  arn: string;
  description: string | null;
  /** `v1`, `v2`, …: the version every decision uses. */
  default_version_id: string;
  /** The number the next version gets: AWS never reuses a version id. */
  next_version: number;
  created_at: number;
  updated_at: number;
}

export interface IamPolicyVersionsTable {
  policy_id: string;
  version_id: string;
  /** The document as written (validated on write); IAM returns it unchanged. */
  document: string;
  created_at: number;
}

export interface IamGroupsTable {
  id: string;
  account_id: string;
  name: string;
  path: string;
  arn: string;
  created_at: number;
}

export interface IamGroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}

export interface IamRolesTable {
  id: string;
  account_id: string;
  name: string;
  path: string;
  arn: string;
  description: string | null;
  /** The trust policy (who may assume the role), as written. */
  trust_policy: string;
  max_session_seconds: number;
  created_at: number;
}

export interface IamInlinePoliciesTable {
  owner_id: string;
  owner_type: IamOwnerType;
  account_id: string;
  name: string;
  document: string;
  updated_at: number;
}

export interface IamAttachmentsTable {
  owner_id: string;
  owner_type: IamOwnerType;
  account_id: string;
  /** A customer-managed policy's ARN or an AWS-managed one (`arn:aws:iam::aws:policy/…`). */
  policy_arn: string;
  attached_at: number;
}

export interface IamTagsTable {
  owner_id: string;
  key: string;
  value: string;
}

export interface PolicyGenerationsTable {
  /** `account:{id}` or `org`. */
  scope: string;
  generation: number;
}

export interface OrgOrganizationsTable {
  id: string;
  management_account_id: string;
  /** `r-…`: the root every OU and account hangs under. */
  root_id: string;
  /** Centralised root access management is enabled (0/1). */
  root_access_management: number;
  created_at: number;
}

export interface OrgUnitsTable {
  id: string;
  organization_id: string;
  /** The root (`r-…`) or another OU (`ou-…`). */
  parent_id: string;
  name: string;
  created_at: number;
}

export interface OrgAccountsTable {
  account_id: string;
  organization_id: string;
  parent_id: string;
  joined_at: number;
  /** Set when the management account removed this member's root credentials. */
  root_credentials_removed_at: number | null;
}

export interface OrgPoliciesTable {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  document: string;
  created_at: number;
  updated_at: number;
}

export interface OrgPolicyAttachmentsTable {
  policy_id: string;
  /** A root, OU or account id. */
  target_id: string;
  organization_id: string;
  attached_at: number;
}

// Issue 3 (migration 0005): federated sign-in.

export interface OidcProvidersTable {
  id: string;
  account_id: string;
  /** As configured, e.g. `https://sso.example.com/realms/acme`; the ID token's `iss` must equal it. */
  issuer: string;
  /** The issuer without `https://`: the ARN's `oidc-provider/{path}` and the condition keys' `{path}:sub`. */
  path: string;
  arn: string;
  /** Shown on the sign-in page: "Sign in with {display_name}". */
  display_name: string;
  client_id: string;
  /**
   * Sealed (purpose-bound to the provider id): it must be recovered to redeem codes. Empty for a
   * provider created through IAM's CreateOpenIDConnectProvider, which has no client secret: it
   * vouches for web identities (AssumeRoleWithWebIdentity) but offers no console sign-in.
   */
  client_secret_sealed: string;
  created_at: number;
}

export interface FederationRequestsTable {
  /** SHA-256 of the `state` sent to the provider. */
  state_digest: string;
  provider_id: string;
  browser_digest: string;
  nonce: string;
  code_verifier_sealed: string;
  return_to: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

// Issue 16 (migration 0008): STS role sessions and OpenID providers' audiences.

/** What a role session issued by STS carries beyond its login_sessions row (same id). */
export interface StsSessionsTable {
  login_session_id: string;
  operation: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  source_identity: string | null;
  /** The inline session policy, as given and validated. */
  session_policy: string | null;
  /** JSON array of managed policy ARNs passed as session policies. */
  session_policy_arns: string | null;
  /** JSON object: the session tags. */
  tags: string | null;
  /** JSON array: the tag keys that pass on when this session assumes another role. */
  transitive_tag_keys: string | null;
  federated_provider: string | null;
  created_at: number;
}

export interface OidcProviderAudiencesTable {
  provider_id: string;
  client_id: string;
  added_at: number;
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
  audit_record_templates: AuditRecordTemplatesTable;
  audit_unindexed: AuditUnindexedTable;
  audit_index_cursor: AuditIndexCursorTable;
  audit_lookup: AuditLookupTable;
  audit_event_resources: AuditEventResourcesTable;
  audit_export_cursor: AuditExportCursorTable;
  signing_keys: SigningKeysTable;
  settings: SettingsTable;
  mfa_devices: MfaDevicesTable;
  auth_throttle: AuthThrottleTable;
  console_browsers: ConsoleBrowsersTable;
  iam_policies: IamPoliciesTable;
  iam_policy_versions: IamPolicyVersionsTable;
  iam_groups: IamGroupsTable;
  iam_group_members: IamGroupMembersTable;
  iam_roles: IamRolesTable;
  iam_inline_policies: IamInlinePoliciesTable;
  iam_attachments: IamAttachmentsTable;
  iam_tags: IamTagsTable;
  policy_generations: PolicyGenerationsTable;
  org_organizations: OrgOrganizationsTable;
  org_units: OrgUnitsTable;
  org_accounts: OrgAccountsTable;
  org_policies: OrgPoliciesTable;
  org_policy_attachments: OrgPolicyAttachmentsTable;
  oidc_providers: OidcProvidersTable;
  federation_requests: FederationRequestsTable;
  sts_sessions: StsSessionsTable;
  oidc_provider_audiences: OidcProviderAudiencesTable;
}
