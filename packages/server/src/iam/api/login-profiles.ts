// CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile: the console password
// of an IAM user, set through the directory (hashed, never recorded).
import { createLoginProfile, deleteLoginProfile, getLoginProfile, updateLoginProfile, type LoginProfileView } from '../admin/login-profiles.ts';
import { entityResource, type IamOperation } from './call.ts';
import { boolean, optional, required } from './input.ts';
import { el, iso, wrap } from './xml.ts';

const profileXml = (profile: LoginProfileView) => wrap('LoginProfile', el('UserName', profile.userName) + el('CreateDate', iso(profile.createDate)) + el('PasswordResetRequired', profile.passwordResetRequired));

export const loginProfileOperations: Record<string, IamOperation> = {
  async CreateLoginProfile(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    const profile = await createLoginProfile(call.deps, call.by, { accountId: call.accountId, userName, password: required(call.input, 'Password'), passwordResetRequired: boolean(call.input, 'PasswordResetRequired') });
    return profileXml(profile);
  },

  async GetLoginProfile(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    return profileXml(await getLoginProfile(call.repos, call.accountId, userName));
  },

  async UpdateLoginProfile(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    await updateLoginProfile(call.deps, call.by, { accountId: call.accountId, userName, password: optional(call.input, 'Password'), passwordResetRequired: boolean(call.input, 'PasswordResetRequired') });
    return '';
  },

  async DeleteLoginProfile(call) {
    const userName = required(call.input, 'UserName');
    await call.authorize(await entityResource(call, 'user', userName));
    await deleteLoginProfile(call.deps, call.by, { accountId: call.accountId, userName });
    return '';
  },
};
