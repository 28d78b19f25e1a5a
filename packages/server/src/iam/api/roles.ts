// CreateRole, GetRole, ListRoles, UpdateAssumeRolePolicy, UpdateRole, DeleteRole.
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole } from '../admin/roles.ts';
import { checkName, checkPath } from '../validate.ts';
import { entityResource, type IamOperation } from './call.ts';
import { integer, optional, page, required, tags } from './input.ts';
import { members, paging, roleXml, wrap } from './xml.ts';

export const roleOperations: Record<string, IamOperation> = {
  async CreateRole(call) {
    const roleName = checkName('roleName', required(call.input, 'RoleName'), 64);
    const path = checkPath('path', optional(call.input, 'Path'));
    await call.authorize(`arn:aws:iam::${call.accountId}:role${path}${roleName}`);
    const role = await createRole(call.deps, call.by, {
      accountId: call.accountId,
      roleName,
      path,
      assumeRolePolicyDocument: required(call.input, 'AssumeRolePolicyDocument'),
      description: optional(call.input, 'Description'),
      maxSessionDuration: integer(call.input, 'MaxSessionDuration'),
      tags: tags(call.input),
    });
    return wrap('Role', roleXml(role));
  },

  async GetRole(call) {
    const roleName = required(call.input, 'RoleName');
    await call.authorize(await entityResource(call, 'role', roleName));
    return wrap('Role', roleXml(await getRole(call.repos, call.accountId, roleName)));
  },

  async ListRoles(call) {
    const pathPrefix = optional(call.input, 'PathPrefix');
    await call.authorize(`arn:aws:iam::${call.accountId}:role${pathPrefix ?? '/'}`);
    const result = await listRoles(call.repos, { accountId: call.accountId, pathPrefix, ...page(call.input) });
    return members('Roles', result.items, roleXml) + paging(result);
  },

  async UpdateAssumeRolePolicy(call) {
    const roleName = required(call.input, 'RoleName');
    await call.authorize(await entityResource(call, 'role', roleName));
    await updateAssumeRolePolicy(call.deps, call.by, { accountId: call.accountId, roleName, policyDocument: required(call.input, 'PolicyDocument') });
    return '';
  },

  async UpdateRole(call) {
    const roleName = required(call.input, 'RoleName');
    await call.authorize(await entityResource(call, 'role', roleName));
    await updateRole(call.deps, call.by, { accountId: call.accountId, roleName, description: optional(call.input, 'Description'), maxSessionDuration: integer(call.input, 'MaxSessionDuration') });
    return '';
  },

  async DeleteRole(call) {
    const roleName = required(call.input, 'RoleName');
    await call.authorize(await entityResource(call, 'role', roleName));
    await deleteRole(call.deps, call.by, { accountId: call.accountId, roleName });
    return '';
  },
};
