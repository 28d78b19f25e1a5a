// CreateUser, GetUser, ListUsers, DeleteUser, TagUser, UntagUser, ListUserTags.
import { createUser, deleteUser, getUser, listUsers, tagUser, untagUser } from '../admin/users.ts';
import { checkName, checkPath } from '../validate.ts';
import { entityResource, type IamOperation } from './call.ts';
import { optional, page, required, stringList, tags } from './input.ts';
import { el, iso, members, paging, tagsXml, userXml, wrap } from './xml.ts';

export const userOperations: Record<string, IamOperation> = {
  async CreateUser(call) {
    const userName = checkName('userName', required(call.input, 'UserName'), 64);
    const path = checkPath('path', optional(call.input, 'Path'));
    await call.authorize(`arn:aws:iam::${call.accountId}:user${path}${userName}`);
    const user = await createUser(call.deps, call.by, { accountId: call.accountId, userName, path, tags: tags(call.input) });
    return wrap('User', userXml(user));
  },

  async GetUser(call) {
    const userName = optional(call.input, 'UserName');
    const { session } = call.caller;
    if (userName === undefined) {
      // No name: the caller itself. Root is not an IAM user; IAM answers with the account.
      await call.authorize(session.arn);
      if (session.arn.endsWith(':root')) return wrap('User', el('UserId', session.account_id) + el('Arn', session.arn) + el('CreateDate', iso(session.created_at)));
      return wrap('User', userXml(await getUser(call.repos, call.accountId, session.arn.slice(session.arn.lastIndexOf('/') + 1))));
    }
    await call.authorize(await entityResource(call, 'user', userName));
    return wrap('User', userXml(await getUser(call.repos, call.accountId, userName)));
  },

  async ListUsers(call) {
    const pathPrefix = optional(call.input, 'PathPrefix');
    await call.authorize(`arn:aws:iam::${call.accountId}:user${pathPrefix ?? '/'}`);
    const result = await listUsers(call.repos, { accountId: call.accountId, pathPrefix, ...page(call.input) });
    return members('Users', result.items, userXml) + paging(result);
  },

  async DeleteUser(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    await deleteUser(call.deps, call.by, { accountId: call.accountId, userName });
    return '';
  },

  async TagUser(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    await tagUser(call.deps, call.by, { accountId: call.accountId, userName, tags: tags(call.input) ?? {} });
    return '';
  },

  async UntagUser(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    await untagUser(call.deps, call.by, { accountId: call.accountId, userName, tagKeys: stringList(call.input, 'TagKeys') });
    return '';
  },

  async ListUserTags(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    const user = await getUser(call.repos, call.accountId, userName);
    return (tagsXml(user.tags) || '<Tags/>') + el('IsTruncated', false);
  },
};
