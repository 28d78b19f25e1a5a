// The store: one repository per concern, all usable inside one transaction.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { openDatabase, type DatabaseLocation } from './database.ts';
import { AuditEventRepo } from './repos/audit-events.ts';
import { AuthThrottleRepo } from './repos/auth-throttle.ts';
import { AuthCodeRepo } from './repos/auth-codes.ts';
import { ConsoleSessionRepo } from './repos/console-sessions.ts';
import { DirectoryRepo } from './repos/directory.ts';
import { DpopJtiRepo } from './repos/dpop-jtis.ts';
import { FederationRepo } from './repos/federation.ts';
import { LoginSessionRepo } from './repos/login-sessions.ts';
import { MfaDeviceRepo } from './repos/mfa-devices.ts';
import { SettingsRepo } from './repos/settings.ts';
import { IamGroupRepo } from './repos/iam-groups.ts';
import { IamPolicyRepo } from './repos/iam-policies.ts';
import { IamPrincipalPolicyRepo } from './repos/iam-principal-policies.ts';
import { IamRoleRepo } from './repos/iam-roles.ts';
import { IamTagRepo } from './repos/iam-tags.ts';
import { IamUserRepo } from './repos/iam-users.ts';
import { OrganizationRepo } from './repos/organizations.ts';
import { PolicyStateRepo } from './repos/policy-state.ts';
import { StsSessionRepo } from './repos/sts-sessions.ts';
import { RevocationCounter } from './revocations.ts';
import { groupCommitTransactions } from './sqlite-group-commit.ts';

export interface Repos {
  directory: DirectoryRepo;
  consoleSessions: ConsoleSessionRepo;
  authCodes: AuthCodeRepo;
  loginSessions: LoginSessionRepo;
  dpopJtis: DpopJtiRepo;
  audit: AuditEventRepo;
  settings: SettingsRepo;
  mfaDevices: MfaDeviceRepo;
  authThrottle: AuthThrottleRepo;
  iamUsers: IamUserRepo;
  iamGroups: IamGroupRepo;
  iamRoles: IamRoleRepo;
  iamPolicies: IamPolicyRepo;
  iamPrincipalPolicies: IamPrincipalPolicyRepo;
  iamTags: IamTagRepo;
  organizations: OrganizationRepo;
  policyState: PolicyStateRepo;
  federation: FederationRepo;
  stsSessions: StsSessionRepo;
}

export interface Store extends Repos {
  readonly dialect: 'sqlite' | 'postgres';
  /** This store's revocations so far (sessions revoked, users deleted), for credential caches. */
  readonly revocations: Pick<RevocationCounter, 'generation'>;
  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all.
   * Use only the `tx` repositories inside: on SQLite the store's own repositories wait for the
   * one connection the transaction holds, so calling them from `work` never returns. On SQLite
   * concurrent calls share one commit, each in its own savepoint (sqlite-group-commit.ts): a
   * `work` sees the writes of those that ran before it, and none resolves before the commit.
   */
  transaction<T>(work: (tx: Repos) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const reposOf = (db: Kysely<Database>, revocations: RevocationCounter): Repos => ({
  directory: new DirectoryRepo(db),
  consoleSessions: new ConsoleSessionRepo(db),
  authCodes: new AuthCodeRepo(db),
  loginSessions: new LoginSessionRepo(db, revocations),
  dpopJtis: new DpopJtiRepo(db),
  audit: new AuditEventRepo(db),
  settings: new SettingsRepo(db),
  mfaDevices: new MfaDeviceRepo(db),
  authThrottle: new AuthThrottleRepo(db),
  iamUsers: new IamUserRepo(db, revocations),
  iamGroups: new IamGroupRepo(db),
  iamRoles: new IamRoleRepo(db),
  iamPolicies: new IamPolicyRepo(db),
  iamPrincipalPolicies: new IamPrincipalPolicyRepo(db),
  iamTags: new IamTagRepo(db),
  organizations: new OrganizationRepo(db),
  policyState: new PolicyStateRepo(db),
  federation: new FederationRepo(db),
  stsSessions: new StsSessionRepo(db, revocations),
});

export async function openStore(location: DatabaseLocation, options: { poolSize?: number } = {}): Promise<Store> {
  const { db, dialect, checkpointer, close } = await openDatabase(location, options);
  const revocations = new RevocationCounter();
  const settle = <T>(run: () => Promise<T>) => revocations.settle(run);
  const transaction: Store['transaction'] =
    dialect === 'sqlite'
      ? groupCommitTransactions(db, (conn) => reposOf(conn, revocations), settle, checkpointer)
      : (work) => settle(() => db.transaction().execute((trx) => work(reposOf(trx, revocations))));
  return { ...reposOf(db, revocations), dialect, revocations, transaction, close };
}

export type { DatabaseLocation } from './database.ts';
export type { Account, Principal } from './repos/directory.ts';
export type { ConsoleSession } from './repos/console-sessions.ts';
export type { AuthCode } from './repos/auth-codes.ts';
export type { LoginSession, RefreshTokenRow, CredentialRow, CredentialWithSession } from './repos/login-sessions.ts';
export type { AuditEventRow, AuditLookup, AuditResource, LookedUpEvent, LookupKey, NewAuditEvent, ExportCursor } from './repos/audit-events.ts';
export type { SigningKeyRow } from './repos/settings.ts';
export type { MfaDevice } from './repos/mfa-devices.ts';
export type { ThrottleCount } from './repos/auth-throttle.ts';
export type { IamGroup } from './repos/iam-groups.ts';
export type { IamPolicy, IamPolicyVersion } from './repos/iam-policies.ts';
export type { IamAttachment, IamInlinePolicy } from './repos/iam-principal-policies.ts';
export type { IamRole } from './repos/iam-roles.ts';
export type { Tags } from './repos/iam-tags.ts';
export type { Organization, OrgAccount, OrgMembership, OrgPolicy, OrgPolicyAttachment, OrgUnit } from './repos/organizations.ts';
export type { Generations } from './repos/policy-state.ts';
export type { IamOwnerType } from './schema.ts';
export type { FederationRequest, OidcProvider } from './repos/federation.ts';
export type { IssuedRoleSession, StsSession } from './repos/sts-sessions.ts';
