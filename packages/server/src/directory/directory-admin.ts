// Administration of accounts, users and passwords (the `keyless admin` commands and bootstrap).
import { ACCOUNT_ID_PATTERN, IAM_NAME_PATTERN, rootArn, userArn } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import { newAccountId, newUserId, type Random } from '../crypto/ids.ts';
import { hashPassword, passwordProblem } from '../crypto/passwords.ts';
import type { Account, Principal, Store } from '../store/store.ts';

export class AdminError extends Error {}

export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 12 * 3600;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/;

export interface AdminDeps {
  store: Store;
  clock: Clock;
  random: Random;
}

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
  });
  return user;
}

/** Finds root (`userName` undefined) or an IAM user of an account. */
export async function findPrincipalOf(deps: AdminDeps, accountId: string, userName?: string): Promise<Principal> {
  const principal =
    userName === undefined
      ? (await deps.store.directory.listPrincipals(accountId)).find((p) => p.kind === 'root')
      : await deps.store.directory.findUser(accountId, userName);
  if (!principal) throw new AdminError(userName === undefined ? `There is no account ${accountId}.` : `There is no user ${userName} in ${accountId}.`);
  return principal;
}

export async function setPassword(deps: AdminDeps, principal: Principal, password: string): Promise<void> {
  await deps.store.directory.setPassword(principal.id, await checkedHash(password), deps.clock.now());
}

export async function setMaxSessionDuration(deps: AdminDeps, principal: Principal, seconds: number): Promise<void> {
  await deps.store.directory.setMaxSessionSeconds(principal.id, checkSessionSeconds(seconds));
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
  return deps.store.mfaDevices.remove(principal.id);
}
