// Administration of accounts, users and passwords (the `keyless admin` commands and bootstrap).
import { ACCOUNT_ID_PATTERN, IAM_NAME_PATTERN, rootArn, userArn } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import { newAccountId, newUserId, type Random } from '../crypto/ids.ts';
import { hashPassword, passwordProblem } from '../crypto/passwords.ts';
import type { Account, Principal, Store } from '../store/store.ts';
import { HIDDEN, ORGANIZATIONS_SOURCE, iamDate, mfaSerialOf, operatorRequest, userParameters, userResource, type AuditedBy } from '../audit/iam-events.ts';
import { iamChange } from '../audit/events/iam-change.ts';
import { revokeOAuth2TokenWithIam } from '../audit/events/revoke-oauth2-token-with-iam.ts';
import type { AuditTrail } from '../audit/trail.ts';

export class AdminError extends Error {}

export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 12 * 3600;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/;

export interface AdminDeps {
  store: Store;
  clock: Clock;
  random: Random;
  audit: AuditTrail;
  /** Who the audit trail says made each change (same transaction); the operator when absent. */
  auditedBy?: AuditedBy;
}

const auditedBy = (deps: AdminDeps, command: string): AuditedBy => deps.auditedBy ?? operatorRequest(deps.random, command);

function checkSessionSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    throw new AdminError('The maximum session duration must be from 15 minutes to 12 hours.');
  }
  return seconds;
}

async function checkedHash(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new AdminError(problem);
  return hashPassword(password);
}

export async function createAccount(
  deps: AdminDeps,
  input: { rootEmail: string; rootPassword: string; alias?: string; accountId?: string },
): Promise<{ account: Account; root: Principal }> {
  const email = input.rootEmail.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw new AdminError(`${JSON.stringify(input.rootEmail)} is not an e-mail address.`);
  const alias = input.alias?.toLowerCase();
  if (alias !== undefined && (!ALIAS_PATTERN.test(alias) || /^\d{12}$/.test(alias))) {
    throw new AdminError('An account alias is 3–63 lower-case letters, digits and hyphens, and not 12 digits.');
  }
  const id = input.accountId ?? newAccountId(deps.random);
  if (!ACCOUNT_ID_PATTERN.test(id)) throw new AdminError('An account id is 12 digits.');
  const hash = await checkedHash(input.rootPassword);
  const now = deps.clock.now();
  const account: Account = { id, alias: alias ?? null, root_email: email, created_at: now };
  const root: Principal = {
    id,
    account_id: id,
    kind: 'root',
    name: email,
    arn: rootArn(id),
    password_hash: hash,
    password_changed_at: now,
    max_session_seconds: MAX_SESSION_SECONDS,
    created_at: now,
  };
  await deps.store.transaction(async (tx) => {
    if (await tx.directory.findAccount(id)) throw new AdminError(`Account ${id} already exists.`);
    if (alias && (await tx.directory.findAccountByAlias(alias))) throw new AdminError(`The alias ${alias} is taken.`);
    if (await tx.directory.findRootByEmail(email)) throw new AdminError(`An account with root e-mail ${email} already exists.`);
    await tx.directory.createAccount(account);
    await tx.directory.createPrincipal(root);
    // Organizations' CreateAccount; AWS hides the name and e-mail in it, and so do we.
    await deps.audit.record(tx, iamChange(auditedBy(deps, 'create-account'), {
      eventName: 'CreateAccount',
      eventSource: ORGANIZATIONS_SOURCE,
      accountId: id,
      requestParameters: { accountName: HIDDEN, email: HIDDEN },
      responseElements: { createAccountStatus: { accountId: id, state: 'SUCCEEDED' } },
      resources: [{ type: 'AWS::Organizations::Account', name: id }],
    }, now));
  });
  return { account, root };
}

export async function createUser(
  deps: AdminDeps,
  input: { accountId: string; userName: string; password?: string; maxSessionSeconds?: number },
): Promise<Principal> {
  if (!IAM_NAME_PATTERN.test(input.userName)) throw new AdminError('A user name is 1–64 letters, digits and _+=,.@- characters.');
  const now = deps.clock.now();
  const user: Principal = {
    id: newUserId(deps.random),
    account_id: input.accountId,
    kind: 'user',
    name: input.userName,
    arn: userArn(input.accountId, input.userName),
    password_hash: input.password === undefined ? null : await checkedHash(input.password),
    password_changed_at: input.password === undefined ? null : now,
    max_session_seconds: checkSessionSeconds(input.maxSessionSeconds ?? MAX_SESSION_SECONDS),
    created_at: now,
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw new AdminError(`There is no account ${input.accountId}.`);
    if (await tx.directory.findUser(input.accountId, input.userName)) throw new AdminError(`User ${input.userName} already exists in ${input.accountId}.`);
    await tx.directory.createPrincipal(user);
    const by = auditedBy(deps, 'create-user');
    await deps.audit.record(tx, iamChange(by, {
      eventName: 'CreateUser',
      accountId: user.account_id,
      requestParameters: { userName: user.name, maxSessionDuration: user.max_session_seconds },
      responseElements: { user: { path: '/', userName: user.name, userId: user.id, arn: user.arn, createDate: iamDate(now) } },
      resources: userResource(user),
    }, now));
    if (user.password_hash !== null) {
      await deps.audit.record(tx, iamChange(by, {
        eventName: 'CreateLoginProfile',
        accountId: user.account_id,
        requestParameters: { userName: user.name, passwordResetRequired: false },
        responseElements: { loginProfile: { userName: user.name, createDate: iamDate(now), passwordResetRequired: false } },
        resources: userResource(user),
      }, now));
    }
  });
  return user;
}

/** Finds root (`userName` undefined) or an IAM user of an account. */
export async function findPrincipalOf(deps: AdminDeps, accountId: string, userName?: string): Promise<Principal> {
  const principal =
    userName === undefined
      ? (await deps.store.read((rs) => rs.directory.listPrincipals(accountId))).find((p) => p.kind === 'root')
      : await deps.store.read((rs) => rs.directory.findUser(accountId, userName));
  if (!principal) throw new AdminError(userName === undefined ? `There is no account ${accountId}.` : `There is no user ${userName} in ${accountId}.`);
  return principal;
}

/** A first password is IAM's CreateLoginProfile, a later one UpdateLoginProfile (the password itself is never recorded). */
export async function setPassword(deps: AdminDeps, principal: Principal, password: string): Promise<void> {
  const now = deps.clock.now();
  const hash = await checkedHash(password);
  await deps.store.transaction(async (tx) => {
    await tx.directory.setPassword(principal.id, hash, now);
    await deps.audit.record(tx, iamChange(auditedBy(deps, 'set-password'), {
      eventName: principal.password_hash === null ? 'CreateLoginProfile' : 'UpdateLoginProfile',
      accountId: principal.account_id,
      requestParameters: { ...userParameters(principal), passwordResetRequired: false },
      resources: userResource(principal),
    }, now));
  });
}

export async function setMaxSessionDuration(deps: AdminDeps, principal: Principal, seconds: number): Promise<void> {
  const now = deps.clock.now();
  const checked = checkSessionSeconds(seconds);
  await deps.store.transaction(async (tx) => {
    await tx.directory.setMaxSessionSeconds(principal.id, checked);
    await deps.audit.record(tx, iamChange(auditedBy(deps, 'set-session-duration'), {
      eventName: 'UpdateUser',
      accountId: principal.account_id,
      requestParameters: { ...userParameters(principal), maxSessionDuration: checked },
      resources: userResource(principal),
    }, now));
  });
}

/** `12h`, `90m`, `3600`, `1h30m` → seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!match || (!match[1] && !match[2])) throw new AdminError(`${JSON.stringify(text)} is not a duration like 12h, 90m or 1h30m.`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60;
}

/**
 * Removes a principal's MFA device (enabled or half-enrolled): the recovery when it is lost.
 * The principal then signs in with the password alone and can enrol a new device. False when
 * there was none.
 */
export async function deactivateMfa(deps: AdminDeps, principal: Principal): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const removed = await tx.mfaDevices.remove(principal.id);
    if (removed) {
      await deps.audit.record(tx, iamChange(auditedBy(deps, 'deactivate-mfa'), {
        eventName: 'DeactivateMFADevice',
        accountId: principal.account_id,
        requestParameters: { ...userParameters(principal), serialNumber: mfaSerialOf(principal) },
        resources: userResource(principal),
      }, now));
    }
    return removed;
  });
}

/**
 * `keyless admin revoke-session`: the session stops refreshing and its credentials are refused.
 * Sign-In's own name for revoking with IAM authority is RevokeOAuth2TokenWithIAM; the record
 * names the session and, as its resource, the user whose session it was. False when it was not
 * active.
 */
export async function revokeLoginSession(deps: AdminDeps, sessionId: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.loginSessions.revoke(sessionId, 'revoked by administrator', now))) return false;
    const session = (await tx.loginSessions.find(sessionId))!;
    await deps.audit.record(tx, revokeOAuth2TokenWithIam(auditedBy(deps, 'revoke-session'), { session, now }));
    return true;
  });
}
