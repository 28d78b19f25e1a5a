// Login profiles: an IAM user's console password (CreateLoginProfile, GetLoginProfile,
// UpdateLoginProfile, DeleteLoginProfile). The password is hashed before the transaction and
// never recorded; changing or deleting it stops the user's login sessions at their next refresh
// (USER_CREDENTIALS_CHANGED), because password_changed_at moves.
import { iamDate, userResource } from '../../audit/iam-events.ts';
import { hashPassword, passwordProblem } from '../../crypto/passwords.ts';
import type { Repos } from '../../store/store.ts';
import { alreadyExists, IamError, invalidInput, noSuchEntity } from '../errors.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { userNamed } from './entities.ts';

export interface LoginProfileView {
  userName: string;
  createDate: number;
  passwordResetRequired: false;
}

async function checkedHash(password: string | undefined): Promise<string> {
  if (!password) throw new IamError('PasswordPolicyViolation', 'A password is required.');
  const problem = passwordProblem(password);
  if (problem) throw new IamError('PasswordPolicyViolation', problem);
  return hashPassword(password);
}

/** Keyless has no forced password reset at sign-in, so it refuses to promise one. */
function checkNoReset(passwordResetRequired: boolean | undefined): void {
  if (passwordResetRequired) throw invalidInput('Keyless does not support PasswordResetRequired; set a password the user knows instead.');
}

export async function createLoginProfile(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string; password: string; passwordResetRequired?: boolean }): Promise<LoginProfileView> {
  checkNoReset(input.passwordResetRequired);
  const hash = await checkedHash(input.password);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    if (user.password_hash !== null) throw alreadyExists(`Login Profile for user ${user.name} already exists.`);
    await tx.directory.setPassword(user.id, hash, now);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreateLoginProfile',
        accountId: user.account_id,
        requestParameters: { userName: user.name, passwordResetRequired: false },
        responseElements: { loginProfile: { userName: user.name, createDate: iamDate(now), passwordResetRequired: false } },
        resources: userResource(user),
      },
      'none',
      now,
    );
    return { userName: user.name, createDate: now, passwordResetRequired: false as const };
  });
}

export async function getLoginProfile(repos: Repos, accountId: string, userName: string): Promise<LoginProfileView> {
  const user = await userNamed(repos, accountId, userName);
  if (user.password_hash === null) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  return { userName: user.name, createDate: user.password_changed_at ?? user.created_at, passwordResetRequired: false };
}

export async function updateLoginProfile(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string; password?: string; passwordResetRequired?: boolean }): Promise<void> {
  checkNoReset(input.passwordResetRequired);
  const hash = input.password === undefined ? undefined : await checkedHash(input.password);
  await deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    if (user.password_hash === null) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
    if (hash !== undefined) await tx.directory.setPassword(user.id, hash, deps.clock.now());
    await recordChange(tx, deps, by, { eventName: 'UpdateLoginProfile', accountId: user.account_id, requestParameters: { userName: user.name, passwordResetRequired: false }, resources: userResource(user) }, 'none');
  });
}

export async function deleteLoginProfile(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    if (!(await tx.iamUsers.clearPassword(user.id, deps.clock.now()))) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
    await recordChange(tx, deps, by, { eventName: 'DeleteLoginProfile', accountId: user.account_id, requestParameters: { userName: user.name }, resources: userResource(user) }, 'none');
  });
}
