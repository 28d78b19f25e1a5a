// Inline policies of users, groups and roles: Put…Policy, Get…Policy, Delete…Policy,
// List…Policies. IAM's quota is on the sum of an entity's inline documents (2,048 characters for
// a user, 5,120 for a group, 10,240 for a role, whitespace not counted).
import type { AuditResource, Repos } from '../../store/store.ts';
import { noSuchEntity } from '../errors.ts';
import { checkName } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { entityNamed, KINDS, type Entity, type EntityKind } from './entities.ts';
import { checkIdentityDocument } from './managed-policies.ts';
import { pageOfList, type Page, type PageRequest } from './pages.ts';

export interface InlinePolicyView {
  entityName: string;
  policyName: string;
  policyDocument: string;
}

const resourcesOf = (entity: Entity): AuditResource[] => [{ type: `AWS::IAM::${KINDS[entity.kind].word}`, name: entity.name }];

/** Characters a document counts against the quota: its JSON without insignificant whitespace. */
const sizeOf = (text: string) => JSON.stringify(JSON.parse(text)).length;

export async function putInlinePolicy(deps: IamDeps, by: AuditedBy, input: { kind: EntityKind; accountId: string; name: string; policyName: string; policyDocument: string }): Promise<void> {
  const policyName = checkName('policyName', input.policyName, 128);
  await deps.store.transaction(async (tx) => {
    const entity = await entityNamed(tx, input.kind, input.accountId, input.name);
    const others = (await tx.iamPrincipalPolicies.listInline(entity.id)).filter((p) => p.name !== policyName);
    const left = KINDS[input.kind].inlineQuota - others.reduce((sum, p) => sum + sizeOf(p.document), 0);
    const document = checkIdentityDocument('policyDocument', input.policyDocument, left);
    await tx.iamPrincipalPolicies.putInline({ owner_id: entity.id, owner_type: entity.kind, account_id: entity.accountId, name: policyName, document, updated_at: deps.clock.now() });
    await recordChange(tx, deps, by, {
      eventName: `Put${KINDS[input.kind].word}Policy`,
      accountId: entity.accountId,
      requestParameters: { [KINDS[input.kind].parameter]: entity.name, policyName, policyDocument: document },
      resources: resourcesOf(entity),
    });
  });
}

export async function getInlinePolicy(repos: Repos, input: { kind: EntityKind; accountId: string; name: string; policyName: string }): Promise<InlinePolicyView> {
  const entity = await entityNamed(repos, input.kind, input.accountId, input.name);
  const policy = await repos.iamPrincipalPolicies.findInline(entity.id, input.policyName);
  if (!policy) throw noSuchEntity(`The ${input.kind} policy with name ${input.policyName} cannot be found.`);
  return { entityName: entity.name, policyName: policy.name, policyDocument: policy.document };
}

export async function deleteInlinePolicy(deps: IamDeps, by: AuditedBy, input: { kind: EntityKind; accountId: string; name: string; policyName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await entityNamed(tx, input.kind, input.accountId, input.name);
    if (!(await tx.iamPrincipalPolicies.deleteInline(entity.id, input.policyName))) throw noSuchEntity(`The ${input.kind} policy with name ${input.policyName} cannot be found.`);
    await recordChange(tx, deps, by, {
      eventName: `Delete${KINDS[input.kind].word}Policy`,
      accountId: entity.accountId,
      requestParameters: { [KINDS[input.kind].parameter]: entity.name, policyName: input.policyName },
      resources: resourcesOf(entity),
    });
  });
}

export async function listInlinePolicies(repos: Repos, input: { kind: EntityKind; accountId: string; name: string } & PageRequest): Promise<Page<string>> {
  const entity = await entityNamed(repos, input.kind, input.accountId, input.name);
  const names = (await repos.iamPrincipalPolicies.listInline(entity.id)).map((p) => p.name);
  return pageOfList(input, names, (n) => n);
}
