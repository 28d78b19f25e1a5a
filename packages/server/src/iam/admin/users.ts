// IAM users: CreateUser, GetUser, ListUsers, DeleteUser, and their tags (aws:PrincipalTag/*).
import { userArn } from '@keyless/protocol';
import { iamDate, userResource } from '../../audit/iam-events.ts';
import { newUserId } from '../../crypto/ids.ts';
import { MAX_SESSION_SECONDS } from '../../directory/directory-admin.ts';
import type { Principal, Repos, Tags } from '../../store/store.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity, validationError } from '../errors.ts';
import { checkName, checkPath, checkPathPrefix, checkTags, MAX_TAGS } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { KINDS, tagList, userNamed, userView, type UserView } from './entities.ts';
import { pageOf, type Page, type PageRequest } from './pages.ts';

export async function createUser(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string; path?: string; tags?: Tags }): Promise<UserView> {
  const name = checkName(KINDS.user.parameter, input.userName, KINDS.user.nameLimit);
  const path = checkPath('path', input.path);
  const tags = checkTags(input.tags);
  const now = deps.clock.now();
  const user: Principal = {
    id: newUserId(deps.random),
    account_id: input.accountId,
    kind: 'user',
    name,
    arn: userArn(input.accountId, name, path),
    password_hash: null,
    password_changed_at: null,
    // `keyless admin create-user`'s default: a login lasts at most 12 hours.
    max_session_seconds: MAX_SESSION_SECONDS,
    created_at: now,
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw noSuchEntity(`There is no account ${input.accountId}.`);
    if (await tx.iamUsers.findByName(input.accountId, name)) throw alreadyExists(`User with name ${name} already exists.`);
    await tx.directory.createPrincipal(user);
    await tx.iamTags.put(user.id, tags);
    await recordChange(tx, deps, by, {
      eventName: 'CreateUser',
      accountId: user.account_id,
      requestParameters: { userName: name, path, ...(Object.keys(tags).length && { tags: tagList(tags) }) },
      responseElements: { user: { path, userName: name, userId: user.id, arn: user.arn, createDate: iamDate(now) } },
      resources: userResource(user),
    }, 'account', now);
  });
  return userView(user, tags);
}

export async function getUser(repos: Repos, accountId: string, userName: string): Promise<UserView> {
  const user = await userNamed(repos, accountId, userName);
  return userView(user, await repos.iamTags.list(user.id));
}

export async function listUsers(repos: Repos, input: { accountId: string; pathPrefix?: string } & PageRequest): Promise<Page<UserView>> {
  const pathPrefix = checkPathPrefix('pathPrefix', input.pathPrefix);
  const page = await pageOf(input, (after, limit) => repos.iamUsers.list({ accountId: input.accountId, pathPrefix, after, limit }), (u) => u.name);
  return { ...page, items: page.items.map((u) => userView(u)) };
}

/**
 * AWS refuses to delete a user that still has a login profile, an MFA device, policies or group
 * memberships; so does Keyless, naming the first thing to remove. Deleting ends every session.
 */
export async function deleteUser(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    if (user.password_hash !== null) throw deleteConflict('Cannot delete entity, must delete login profile first.');
    if ((await tx.mfaDevices.find(user.id))?.enabled_at != null) throw deleteConflict('Cannot delete entity, must remove MFA device first.');
    if ((await tx.iamPrincipalPolicies.listInline(user.id)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if ((await tx.iamPrincipalPolicies.listAttached(user.id)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if ((await tx.iamGroups.groupsOf(user.id)).length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    await tx.iamUsers.deleteCascade(user.id);
    await recordChange(tx, deps, by, { eventName: 'DeleteUser', accountId: user.account_id, requestParameters: { userName: user.name }, resources: userResource(user) });
  });
}

export async function tagUser(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string; tags: Tags }): Promise<void> {
  const tags = checkTags(input.tags);
  await deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    const merged = { ...(await tx.iamTags.list(user.id)), ...tags };
    if (Object.keys(merged).length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
    await tx.iamTags.put(user.id, tags);
    await recordChange(tx, deps, by, { eventName: 'TagUser', accountId: user.account_id, requestParameters: { userName: user.name, tags: tagList(tags) }, resources: userResource(user) });
  });
}

export async function untagUser(deps: IamDeps, by: AuditedBy, input: { accountId: string; userName: string; tagKeys: string[] }): Promise<void> {
  if (input.tagKeys.length > MAX_TAGS) throw validationError('tagKeys', `${input.tagKeys.length} keys`, `must have length less than or equal to ${MAX_TAGS}`);
  await deps.store.transaction(async (tx) => {
    const user = await userNamed(tx, input.accountId, input.userName);
    await tx.iamTags.remove(user.id, input.tagKeys);
    await recordChange(tx, deps, by, { eventName: 'UntagUser', accountId: user.account_id, requestParameters: { userName: user.name, tagKeys: input.tagKeys }, resources: userResource(user) });
  });
}
