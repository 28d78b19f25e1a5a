// Managed policies and their versions: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy,
// CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion,
// DeletePolicyVersion. The resource is the policy's ARN (AWS-managed ones included).
import { createPolicy, deletePolicy, getPolicy, listPolicies, type PolicyScope } from '../admin/managed-policies.ts';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from '../admin/policy-versions.ts';
import { checkName, checkPath, checkPolicyArn } from '../validate.ts';
import type { IamOperation } from './call.ts';
import { boolean, optional, page, required, tags } from './input.ts';
import { el, members, paging, policyVersionXml, policyXml, wrap } from './xml.ts';

export const policyOperations: Record<string, IamOperation> = {
  async CreatePolicy(call) {
    const policyName = checkName('policyName', required(call.input, 'PolicyName'), 128);
    const path = checkPath('path', optional(call.input, 'Path'));
    await call.authorize(`arn:aws:iam::${call.accountId}:policy${path}${policyName}`);
    const policy = await createPolicy(call.deps, call.by, {
      accountId: call.accountId,
      policyName,
      path,
      policyDocument: required(call.input, 'PolicyDocument'),
      description: optional(call.input, 'Description'),
      tags: tags(call.input),
    });
    return wrap('Policy', policyXml(policy));
  },

  async GetPolicy(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    return wrap('Policy', policyXml(await getPolicy(call.repos, call.accountId, policyArn)));
  },

  async ListPolicies(call) {
    const pathPrefix = optional(call.input, 'PathPrefix');
    await call.authorize(`arn:aws:iam::${call.accountId}:policy${pathPrefix ?? '/'}`);
    const result = await listPolicies(call.repos, {
      accountId: call.accountId,
      scope: optional(call.input, 'Scope') as PolicyScope | undefined,
      onlyAttached: boolean(call.input, 'OnlyAttached'),
      pathPrefix,
      ...page(call.input),
    });
    return members('Policies', result.items, policyXml) + paging(result);
  },

  async DeletePolicy(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    await deletePolicy(call.deps, call.by, { accountId: call.accountId, policyArn });
    return '';
  },

  async CreatePolicyVersion(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    const version = await createPolicyVersion(call.deps, call.by, { accountId: call.accountId, policyArn, policyDocument: required(call.input, 'PolicyDocument'), setAsDefault: boolean(call.input, 'SetAsDefault') });
    return wrap('PolicyVersion', policyVersionXml(version, false));
  },

  async GetPolicyVersion(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    const version = await getPolicyVersion(call.repos, { accountId: call.accountId, policyArn, versionId: required(call.input, 'VersionId') });
    return wrap('PolicyVersion', policyVersionXml(version, true));
  },

  async ListPolicyVersions(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    const versions = await listPolicyVersions(call.repos, { accountId: call.accountId, policyArn });
    return members('Versions', versions, (v) => policyVersionXml(v, false)) + el('IsTruncated', false);
  },

  async SetDefaultPolicyVersion(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    await setDefaultPolicyVersion(call.deps, call.by, { accountId: call.accountId, policyArn, versionId: required(call.input, 'VersionId') });
    return '';
  },

  async DeletePolicyVersion(call) {
    const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
    await call.authorize(policyArn);
    await deletePolicyVersion(call.deps, call.by, { accountId: call.accountId, policyArn, versionId: required(call.input, 'VersionId') });
    return '';
  },
};

