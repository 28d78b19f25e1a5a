// CreateGroup, GetGroup, ListGroups, ListGroupsForUser, AddUserToGroup, RemoveUserFromGroup, DeleteGroup.
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup } from '../admin/groups.ts';
import { checkName, checkPath } from '../validate.ts';
import { entityResource, type IamOperation } from './call.ts';
import { optional, page, required } from './input.ts';
import { groupXml, members, paging, userXml, wrap } from './xml.ts';

export const groupOperations: Record<string, IamOperation> = {
  async CreateGroup(call) {
    const groupName = checkName('groupName', required(call.input, 'GroupName'), 128);
    const path = checkPath('path', optional(call.input, 'Path'));
    await call.authorize(`arn:aws:iam::${call.accountId}:group${path}${groupName}`);
    return wrap('Group', groupXml(await createGroup(call.deps, call.by, { accountId: call.accountId, groupName, path })));
  },

  async GetGroup(call) {
    const groupName = required(call.input, 'GroupName');
    await call.authorize(await entityResource(call, 'group', groupName));
    const result = await getGroup(call.repos, { accountId: call.accountId, groupName, ...page(call.input) });
    return wrap('Group', groupXml(result.group)) + members('Users', result.items, userXml) + paging(result);
  },

  async ListGroups(call) {
    const pathPrefix = optional(call.input, 'PathPrefix');
    await call.authorize(`arn:aws:iam::${call.accountId}:group${pathPrefix ?? '/'}`);
    const result = await listGroups(call.repos, { accountId: call.accountId, pathPrefix, ...page(call.input) });
    return members('Groups', result.items, groupXml) + paging(result);
  },

  async ListGroupsForUser(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    const result = await listGroupsForUser(call.repos, { accountId: call.accountId, userName, ...page(call.input) });
    return members('Groups', result.items, groupXml) + paging(result);
  },

  async AddUserToGroup(call) {
    const groupName = required(call.input, 'GroupName');
    await call.authorize(await entityResource(call, 'group', groupName));
    await addUserToGroup(call.deps, call.by, { accountId: call.accountId, groupName, userName: required(call.input, 'UserName') });
    return '';
  },

  async RemoveUserFromGroup(call) {
    const groupName = required(call.input, 'GroupName');
    await call.authorize(await entityResource(call, 'group', groupName));
    await removeUserFromGroup(call.deps, call.by, { accountId: call.accountId, groupName, userName: required(call.input, 'UserName') });
    return '';
  },

  async DeleteGroup(call) {
    const groupName = required(call.input, 'GroupName');
    await call.authorize(await entityResource(call, 'group', groupName));
    await deleteGroup(call.deps, call.by, { accountId: call.accountId, groupName });
    return '';
  },
};
