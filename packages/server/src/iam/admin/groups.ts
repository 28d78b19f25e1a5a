// IAM groups: CreateGroup, GetGroup, ListGroups, ListGroupsForUser, AddUserToGroup,
// RemoveUserFromGroup, DeleteGroup. A user's groups' policies are its own in every decision.
import { iamDate } from '../../audit/iam-events.ts';
import type { AuditResource, IamGroup, Repos } from '../../store/store.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from '../errors.ts';
import { newGroupId } from '../ids.ts';
import { checkName, checkPath, checkPathPrefix } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { groupNamed, groupView, KINDS, userNamed, userView, type GroupView, type UserView } from './entities.ts';
import { pageOf, pageOfList, type Page, type PageRequest } from './pages.ts';

/** IAM's quota: a user is in at most 10 groups. */
export const MAX_GROUPS_PER_USER = 10;

const groupResource = (name: string): AuditResource[] => [{ type: 'AWS::IAM::Group', name }];

export async function createGroup(deps: IamDeps, by: AuditedBy, input: { accountId: string; groupName: string; path?: string }): Promise<GroupView> {
  const name = checkName(KINDS.group.parameter, input.groupName, KINDS.group.nameLimit);
  const path = checkPath('path', input.path);
  const now = deps.clock.now();
  const group: IamGroup = { id: newGroupId(deps.random), account_id: input.accountId, name, path, arn: `arn:aws:iam::${input.accountId}:group${path}${name}`, created_at: now };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw noSuchEntity(`There is no account ${input.accountId}.`);
    if (await tx.iamGroups.findByName(input.accountId, name)) throw alreadyExists(`Group with name ${name} already exists.`);
    await tx.iamGroups.create(group);
    await recordChange(tx, deps, by, {
      eventName: 'CreateGroup',
      accountId: input.accountId,
      requestParameters: { groupName: name, path },
      responseElements: { group: { path, groupName: name, groupId: group.id, arn: group.arn, createDate: iamDate(now) } },
      resources: groupResource(name),
    }, 'account', now);
  });
  return groupView(group);
}

export async function getGroup(repos: Repos, input: { accountId: string; groupName: string } & PageRequest): Promise<{ group: GroupView } & Page<UserView>> {
  const group = await groupNamed(repos, input.accountId, input.groupName);
  const page = pageOfList(input, await repos.iamGroups.members(group.id), (u) => u.name);
  return { group: groupView(group), ...page, items: page.items.map((u) => userView(u)) };
}

export async function listGroups(repos: Repos, input: { accountId: string; pathPrefix?: string } & PageRequest): Promise<Page<GroupView>> {
  const pathPrefix = checkPathPrefix('pathPrefix', input.pathPrefix);
  const page = await pageOf(input, (after, limit) => repos.iamGroups.list({ accountId: input.accountId, pathPrefix, after, limit }), (g) => g.name);
  return { ...page, items: page.items.map(groupView) };
}

export async function listGroupsForUser(repos: Repos, input: { accountId: string; userName: string } & PageRequest): Promise<Page<GroupView>> {
  const user = await userNamed(repos, input.accountId, input.userName);
  const page = pageOfList(input, await repos.iamGroups.groupsOf(user.id), (g) => g.name);
  return { ...page, items: page.items.map(groupView) };
}

export async function addUserToGroup(deps: IamDeps, by: AuditedBy, input: { accountId: string; groupName: string; userName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const group = await groupNamed(tx, input.accountId, input.groupName);
    const user = await userNamed(tx, input.accountId, input.userName);
    const groups = await tx.iamGroups.groupsOf(user.id);
    if (groups.some((g) => g.id === group.id)) return;
    if (groups.length >= MAX_GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
    await tx.iamGroups.addMember(group.id, user.id, deps.clock.now());
    await recordChange(tx, deps, by, {
      eventName: 'AddUserToGroup',
      accountId: input.accountId,
      requestParameters: { groupName: group.name, userName: user.name },
      resources: [...groupResource(group.name), { type: 'AWS::IAM::User', name: user.name }],
    });
  });
}

export async function removeUserFromGroup(deps: IamDeps, by: AuditedBy, input: { accountId: string; groupName: string; userName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const group = await groupNamed(tx, input.accountId, input.groupName);
    const user = await userNamed(tx, input.accountId, input.userName);
    if (!(await tx.iamGroups.removeMember(group.id, user.id))) throw noSuchEntity(`User ${user.name} is not in group ${group.name}.`);
    await recordChange(tx, deps, by, {
      eventName: 'RemoveUserFromGroup',
      accountId: input.accountId,
      requestParameters: { groupName: group.name, userName: user.name },
      resources: [...groupResource(group.name), { type: 'AWS::IAM::User', name: user.name }],
    });
  });
}

export async function deleteGroup(deps: IamDeps, by: AuditedBy, input: { accountId: string; groupName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const group = await groupNamed(tx, input.accountId, input.groupName);
    if ((await tx.iamGroups.members(group.id)).length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if ((await tx.iamPrincipalPolicies.listInline(group.id)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if ((await tx.iamPrincipalPolicies.listAttached(group.id)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    await tx.iamGroups.delete(group.id);
    await recordChange(tx, deps, by, { eventName: 'DeleteGroup', accountId: input.accountId, requestParameters: { groupName: group.name }, resources: groupResource(group.name) });
  });
}
