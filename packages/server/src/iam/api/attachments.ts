// Attach{User,Group,Role}Policy, Detach…Policy, ListAttached…Policies. Attaching is authorised on
// the user, group or role, with iam:PolicyARN in the context (so a policy can limit which
// policies an administrator may attach, as on AWS).
import { attachPolicy, detachPolicy, listAttachedPolicies } from '../admin/attachments.ts';
import { KINDS, type EntityKind } from '../admin/entities.ts';
import { checkPolicyArn } from '../validate.ts';
import { entityResource, type IamOperation } from './call.ts';
import { optional, page, required } from './input.ts';
import { el, members, paging } from './xml.ts';

const nameParameter = (kind: EntityKind) => `${KINDS[kind].word}Name`;

function operationsFor(kind: EntityKind): Record<string, IamOperation> {
  const word = KINDS[kind].word;
  return {
    async [`Attach${word}Policy`](call) {
      const name = required(call.input, nameParameter(kind));
      const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
      await call.authorize(await entityResource(call, kind, name), { 'iam:PolicyARN': policyArn });
      await attachPolicy(call.deps, call.by, { kind, accountId: call.accountId, name, policyArn });
      return '';
    },
    async [`Detach${word}Policy`](call) {
      const name = required(call.input, nameParameter(kind));
      const policyArn = checkPolicyArn(required(call.input, 'PolicyArn'));
      await call.authorize(await entityResource(call, kind, name), { 'iam:PolicyARN': policyArn });
      await detachPolicy(call.deps, call.by, { kind, accountId: call.accountId, name, policyArn });
      return '';
    },
    async [`ListAttached${word}Policies`](call) {
      const name = required(call.input, nameParameter(kind));
      await call.authorize(await entityResource(call, kind, name));
      const result = await listAttachedPolicies(call.repos, { kind, accountId: call.accountId, name, pathPrefix: optional(call.input, 'PathPrefix'), ...page(call.input) });
      return members('AttachedPolicies', result.items, (p) => el('PolicyName', p.policyName) + el('PolicyArn', p.policyArn)) + paging(result);
    },
  };
}

export const attachmentOperations: Record<string, IamOperation> = { ...operationsFor('user'), ...operationsFor('group'), ...operationsFor('role') };
