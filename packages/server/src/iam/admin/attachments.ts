// Managed-policy attachments of users, groups and roles: Attach{User,Group,Role}Policy,
// Detach…Policy, ListAttached…Policies. Attaching is idempotent, as in IAM; each entity holds at
// most 10 managed policies (IAM's default quota).
import type { AuditResource, Repos } from '../../store/store.ts';
import { limitExceeded, noSuchEntity } from '../errors.ts';
import { checkPathPrefix } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { entityNamed, KINDS, type Entity, type EntityKind } from './entities.ts';
import { resolvePolicy } from './managed-policies.ts';
import { pageOfList, type Page, type PageRequest } from './pages.ts';

export const MAX_MANAGED_POLICIES_PER_ENTITY = 10;

export interface AttachedPolicyView {
  policyName: string;
  policyArn: string;
}

const resourcesOf = (entity: Entity, policyArn: string): AuditResource[] => [
  { type: `AWS::IAM::${KINDS[entity.kind].word}`, name: entity.name },
  { type: 'AWS::IAM::Policy', name: policyArn },
];

export async function attachPolicy(deps: IamDeps, by: AuditedBy, input: { kind: EntityKind; accountId: string; name: string; policyArn: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await entityNamed(tx, input.kind, input.accountId, input.name);
    const resolved = await resolvePolicy(tx, input.accountId, input.policyArn);
    const arn = resolved.kind === 'aws' ? resolved.arn : resolved.policy.arn;
    const attached = await tx.iamPrincipalPolicies.listAttached(entity.id);
    if (attached.some((a) => a.policy_arn === arn)) return;
    if (attached.length >= MAX_MANAGED_POLICIES_PER_ENTITY) {
      throw limitExceeded(`Cannot exceed quota for PoliciesPer${KINDS[input.kind].word}: ${MAX_MANAGED_POLICIES_PER_ENTITY}`);
    }
    await tx.iamPrincipalPolicies.attach({ owner_id: entity.id, owner_type: entity.kind, account_id: entity.accountId, policy_arn: arn, attached_at: deps.clock.now() });
    await recordChange(tx, deps, by, {
      eventName: `Attach${KINDS[input.kind].word}Policy`,
      accountId: entity.accountId,
      requestParameters: { [KINDS[input.kind].parameter]: entity.name, policyArn: arn },
      resources: resourcesOf(entity, arn),
    });
  });
}

export async function detachPolicy(deps: IamDeps, by: AuditedBy, input: { kind: EntityKind; accountId: string; name: string; policyArn: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const entity = await entityNamed(tx, input.kind, input.accountId, input.name);
    if (!(await tx.iamPrincipalPolicies.detach(entity.id, input.policyArn))) throw noSuchEntity(`Policy ${input.policyArn} was not found.`);
    await recordChange(tx, deps, by, {
      eventName: `Detach${KINDS[input.kind].word}Policy`,
      accountId: entity.accountId,
      requestParameters: { [KINDS[input.kind].parameter]: entity.name, policyArn: input.policyArn },
      resources: resourcesOf(entity, input.policyArn),
    });
  });
}

export async function listAttachedPolicies(repos: Repos, input: { kind: EntityKind; accountId: string; name: string; pathPrefix?: string } & PageRequest): Promise<Page<AttachedPolicyView>> {
  const pathPrefix = checkPathPrefix('pathPrefix', input.pathPrefix);
  const entity = await entityNamed(repos, input.kind, input.accountId, input.name);
  const views = (await repos.iamPrincipalPolicies.listAttached(entity.id))
    .filter((a) => !pathPrefix || policyPathOf(a.policy_arn).startsWith(pathPrefix))
    .map((a) => ({ policyName: a.policy_arn.slice(a.policy_arn.lastIndexOf('/') + 1), policyArn: a.policy_arn }));
  return pageOfList(input, views, (v) => v.policyArn);
}

const policyPathOf = (arn: string) => {
  const afterPolicy = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  return afterPolicy.slice(0, afterPolicy.lastIndexOf('/') + 1);
};
