// Put{User,Group,Role}Policy, Get…Policy, Delete…Policy, List…Policies: inline policies, whose
// documents IAM returns URL-encoded.
import { escapeXml } from '../../aws-api/service.ts';
import { KINDS, type EntityKind } from '../admin/entities.ts';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, putInlinePolicy } from '../admin/inline-policies.ts';
import { entityResource, type IamOperation } from './call.ts';
import { page, required } from './input.ts';
import { el, encodedDocument, members, paging } from './xml.ts';

function operationsFor(kind: EntityKind): Record<string, IamOperation> {
  const word = KINDS[kind].word;
  const nameParameter = `${word}Name`;
  return {
    async [`Put${word}Policy`](call) {
      const name = required(call.input, nameParameter);
      await call.authorize(await entityResource(call, kind, name));
      await putInlinePolicy(call.deps, call.by, { kind, accountId: call.accountId, name, policyName: required(call.input, 'PolicyName'), policyDocument: required(call.input, 'PolicyDocument') });
      return '';
    },
    async [`Get${word}Policy`](call) {
      const name = required(call.input, nameParameter);
      await call.authorize(await entityResource(call, kind, name));
      const policy = await getInlinePolicy(call.repos, { kind, accountId: call.accountId, name, policyName: required(call.input, 'PolicyName') });
      return el(nameParameter, policy.entityName) + el('PolicyName', policy.policyName) + el('PolicyDocument', encodedDocument(policy.policyDocument));
    },
    async [`Delete${word}Policy`](call) {
      const name = required(call.input, nameParameter);
      await call.authorize(await entityResource(call, kind, name));
      await deleteInlinePolicy(call.deps, call.by, { kind, accountId: call.accountId, name, policyName: required(call.input, 'PolicyName') });
      return '';
    },
    async [`List${word}Policies`](call) {
      const name = required(call.input, nameParameter);
      await call.authorize(await entityResource(call, kind, name));
      const result = await listInlinePolicies(call.repos, { kind, accountId: call.accountId, name, ...page(call.input) });
      return members('PolicyNames', result.items, escapeXml) + paging(result);
    },
  };
}

export const inlinePolicyOperations: Record<string, IamOperation> = { ...operationsFor('user'), ...operationsFor('group'), ...operationsFor('role') };
