// Finding the user, group or role an IAM call names (NoSuchEntity in AWS's words when it is not
// there), and the views of them both the Query API and `keyless admin` print.
import type { IamGroup, IamOwnerType, IamRole, Principal, Repos, Tags } from '../../store/store.ts';
import { noSuchEntity } from '../errors.ts';

export type EntityKind = IamOwnerType;

/** What an IAM call says about each kind: its event-name word, parameter, and inline quota. */
export const KINDS: Record<EntityKind, { word: 'User' | 'Group' | 'Role'; parameter: string; nameLimit: number; inlineQuota: number }> = {
  user: { word: 'User', parameter: 'userName', nameLimit: 64, inlineQuota: 2_048 },
  group: { word: 'Group', parameter: 'groupName', nameLimit: 128, inlineQuota: 5_120 },
  role: { word: 'Role', parameter: 'roleName', nameLimit: 64, inlineQuota: 10_240 },
};

export interface Entity {
  kind: EntityKind;
  id: string;
  name: string;
  arn: string;
  accountId: string;
}

export async function userNamed(repos: Repos, accountId: string, name: string): Promise<Principal> {
  const user = await repos.iamUsers.findByName(accountId, name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export async function groupNamed(repos: Repos, accountId: string, name: string): Promise<IamGroup> {
  const group = await repos.iamGroups.findByName(accountId, name);
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

export async function roleNamed(repos: Repos, accountId: string, name: string): Promise<IamRole> {
  const role = await repos.iamRoles.findByName(accountId, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export async function entityNamed(repos: Repos, kind: EntityKind, accountId: string, name: string): Promise<Entity> {
  const found = kind === 'user' ? await userNamed(repos, accountId, name) : kind === 'group' ? await groupNamed(repos, accountId, name) : await roleNamed(repos, accountId, name);
  return { kind, id: found.id, name: found.name, arn: found.arn, accountId: found.account_id };
}

/** A user's path lives in its ARN: `arn:aws:iam::ACCOUNT:user{path}{name}`. */
export function userPathOf(user: Pick<Principal, 'arn' | 'name'>): string {
  const afterUser = user.arn.slice(user.arn.indexOf(':user/') + ':user'.length);
  return afterUser.slice(0, afterUser.length - user.name.length);
}

/** The ARN an entity of this name would have, for authorising a call about one that may not exist. */
export const entityArn = (kind: EntityKind, accountId: string, name: string, path = '/') => `arn:aws:iam::${accountId}:${kind}${path}${name}`;

export interface UserView {
  path: string;
  userName: string;
  userId: string;
  arn: string;
  createDate: number;
  tags: Tags;
}

export const userView = (user: Principal, tags: Tags = {}): UserView => ({ path: userPathOf(user), userName: user.name, userId: user.id, arn: user.arn, createDate: user.created_at, tags });

export interface GroupView {
  path: string;
  groupName: string;
  groupId: string;
  arn: string;
  createDate: number;
}

export const groupView = (group: IamGroup): GroupView => ({ path: group.path, groupName: group.name, groupId: group.id, arn: group.arn, createDate: group.created_at });

export interface RoleView {
  path: string;
  roleName: string;
  roleId: string;
  arn: string;
  createDate: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tags;
}

export const roleView = (role: IamRole, tags: Tags = {}): RoleView => ({
  path: role.path,
  roleName: role.name,
  roleId: role.id,
  arn: role.arn,
  createDate: role.created_at,
  assumeRolePolicyDocument: role.trust_policy,
  ...(role.description !== null && { description: role.description }),
  maxSessionDuration: role.max_session_seconds,
  tags,
});

/** For CloudTrail's tags parameter: `[{key, value}]`, as IAM's requestParameters carry them. */
export const tagList = (tags: Tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));
