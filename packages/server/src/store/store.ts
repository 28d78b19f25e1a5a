// The store: one repository per concern, all usable inside one transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { openDatabase, type DatabaseLocation, type OpenDatabaseOptions } from './database.ts';
import { AuditEventRepo, type TemplateCache } from './repos/audit-events.ts';
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

/**
 * The repositories are reached only through `read` or `transaction`: a function given the store
 * cannot call a repository without saying which, and inside a transaction's work the outer ones
 * refuse (principle 5, by construction rather than by discipline).
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** This store's revocations so far (sessions revoked, users deleted), for credential caches. */
  readonly revocations: Pick<RevocationCounter, 'generation'>;
  /**
   * Runs `work` outside any transaction, with repositories whose statements each commit alone:
   * reads, and the few writes meant to commit statement by statement (housekeeping's purges,
   * the lookup index's cursor probes, test set-up). Refused inside a transaction's work.
   */
  read<T>(work: (repos: Repos) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all.
   * Use only the `tx` repositories inside: on SQLite the store's own repositories would wait for
   * the one connection the transaction holds, and a transaction begun inside `work` for the
   * commit of the group `work` is in, so either would never return. Both throw instead
   * (`TransactionMisuse`): `work` runs in an async context that the store's own repositories
   * and `transaction` check. On SQLite
   * concurrent calls share one commit, each in its own savepoint (sqlite-group-commit.ts): a
   * `work` sees the writes of those that ran before it, and none resolves before the commit.
   */
  transaction<T>(work: (tx: Repos) => Promise<T>): Promise<T>;
  /** One trivial statement: resolves when the database answers (readiness), rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A repository of the store used inside a transaction, or a transaction begun inside one. */
export class TransactionMisuse extends Error {
  override readonly name = 'TransactionMisuse';
}

/**
 * Set while a transaction's `work` runs (AsyncLocalStorage follows it through every await), so
 * that what would wait forever on SQLite, and on PostgreSQL silently run outside the transaction,
 * throws at once.
 */
const insideTransaction = new AsyncLocalStorage<true>();

/** `transaction`, refusing to begin inside another and marking the context its work runs in. */
function guardedTransaction(run: Store['transaction']): Store['transaction'] {
  return (work) => {
    if (insideTransaction.getStore()) return Promise.reject(new TransactionMisuse('transaction() was called inside a transaction: use the tx repositories of the one in progress'));
    return run((tx) => insideTransaction.run(true, () => work(tx)));
  };
}

/** The store's own repositories, each of whose methods throws when called inside a transaction. */
function outsideOnly(repos: Repos): Repos {
  const guarded = {} as Record<string, unknown>;
  for (const [name, repo] of Object.entries(repos)) {
    const methods = new Map<PropertyKey, unknown>();
    guarded[name] = new Proxy(repo as object, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        let method = methods.get(key);
        if (!method) {
          method = (...args: unknown[]) => {
            if (insideTransaction.getStore()) throw new TransactionMisuse(`store.${name}.${String(key)}() was called inside a transaction: use tx.${name}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
          methods.set(key, method);
        }
        return method;
      },
    });
  }
  return guarded as unknown as Repos;
}

const reposOf = (db: Kysely<Database>, revocations: RevocationCounter, templates: TemplateCache): Repos => ({
  directory: new DirectoryRepo(db),
  consoleSessions: new ConsoleSessionRepo(db),
  authCodes: new AuthCodeRepo(db),
  loginSessions: new LoginSessionRepo(db, revocations),
  dpopJtis: new DpopJtiRepo(db),
  audit: new AuditEventRepo(db, templates),
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

export async function openStore(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<Store> {
  const { db, dialect, checkpointer, close } = await openDatabase(location, options);
  const revocations = new RevocationCounter();
  const templates: TemplateCache = new Map();
  const settle = <T>(run: () => Promise<T>) => revocations.settle(run);
  const transaction: Store['transaction'] = guardedTransaction(
    dialect === 'sqlite'
      ? groupCommitTransactions(db, (conn) => reposOf(conn, revocations, templates), settle, checkpointer)
      : (work) => settle(() => db.transaction().execute((trx) => work(reposOf(trx, revocations, templates)))),
  );
  const outside = outsideOnly(reposOf(db, revocations, templates));
  const read: Store['read'] = (work) =>
    insideTransaction.getStore() ? Promise.reject(new TransactionMisuse('store.read() was called inside a transaction: use the tx repositories of the one in progress')) : work(outside);
  const ping = async () => void (await sql`select 1`.execute(db));
  return { dialect, revocations, read, transaction, ping, close };
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
