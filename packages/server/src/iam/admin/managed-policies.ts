// Managed policies: customer-managed ones (CreatePolicy, GetPolicy, ListPolicies, DeletePolicy)
// and AWS-managed ones (`arn:aws:iam::aws:policy/…`), which are the engine's constants: they can
// be read, listed and attached, never changed.
import { createHash } from 'node:crypto';
import { iamDate } from '../../audit/iam-events.ts';
import type { AuditResource, IamPolicy, Repos, Tags } from '../../store/store.ts';
import { AWS_MANAGED_POLICIES, managedPolicyKind, parsePolicyDocument } from '../policy/index.ts';
import { alreadyExists, deleteConflict, IamError, noSuchEntity, policyDocumentError, validationError } from '../errors.ts';
import { newPolicyId } from '../ids.ts';
import { checkDescription, checkName, checkPath, checkPathPrefix, checkPolicyArn, checkTags } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { tagList } from './entities.ts';
import { pageOfList, type Page, type PageRequest } from './pages.ts';

const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';
/** AWS-managed policies carry AWS's dates; Keyless's copies say when this release defined them. */
export const AWS_POLICY_DATE = Date.UTC(2025, 10, 19);

export type ResolvedPolicy =
  | { kind: 'aws'; arn: string; name: string; path: string; document: string }
  | { kind: 'customer'; policy: IamPolicy };

export interface PolicyView {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount: 0;
  isAttachable: true;
  description?: string;
  createDate: number;
  updateDate: number;
  tags: Tags;
}

const policyResource = (arn: string): AuditResource[] => [{ type: 'AWS::IAM::Policy', name: arn }];

/** The identity-based AWS-managed policies (FullAWSAccess, an SCP, is Organizations'). */
export const awsManagedIdentityPolicies = (): string[] =>
  [...AWS_MANAGED_POLICIES.keys()].filter((arn) => arn.startsWith(AWS_POLICY_PREFIX) && managedPolicyKind(arn) === 'identity');

/** A stable id for an AWS-managed policy, in the shape of AWS's (`ANPA…`). */
const awsPolicyId = (arn: string) => `ANPA${createHash('sha256').update(arn).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'Q').slice(0, 17)}`;

export async function resolvePolicy(repos: Repos, accountId: string, arn: string): Promise<ResolvedPolicy> {
  checkPolicyArn(arn);
  const missing = () => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (arn.startsWith(AWS_POLICY_PREFIX)) {
    const document = AWS_MANAGED_POLICIES.get(arn);
    if (document === undefined || managedPolicyKind(arn) !== 'identity') throw missing();
    return { kind: 'aws', arn, name: arn.slice(arn.lastIndexOf('/') + 1), path: '/', document };
  }
  const policy = await repos.iamPolicies.findByArn(arn);
  if (!policy || policy.account_id !== accountId) throw missing();
  return { kind: 'customer', policy };
}

export function policyViewOf(resolved: ResolvedPolicy, attachmentCount: number, tags: Tags = {}): PolicyView {
  if (resolved.kind === 'aws') {
    return {
      policyName: resolved.name,
      policyId: awsPolicyId(resolved.arn),
      arn: resolved.arn,
      path: resolved.path,
      defaultVersionId: 'v1',
      attachmentCount,
      permissionsBoundaryUsageCount: 0,
      isAttachable: true,
      createDate: AWS_POLICY_DATE,
      updateDate: AWS_POLICY_DATE,
      tags: {},
    };
  }
  const { policy } = resolved;
  return {
    policyName: policy.name,
    policyId: policy.id,
    arn: policy.arn,
    path: policy.path,
    defaultVersionId: policy.default_version_id,
    attachmentCount,
    permissionsBoundaryUsageCount: 0,
    isAttachable: true,
    ...(policy.description !== null && { description: policy.description }),
    createDate: policy.created_at,
    updateDate: policy.updated_at,
    tags,
  };
}

/** Validates an identity policy document; MalformedPolicyDocument names the element at fault. */
export function checkIdentityDocument(parameter: string, text: string | undefined, maxSize?: number): string {
  if (text === undefined || text === '') throw validationError(parameter, text, 'must not be null');
  try {
    parsePolicyDocument(text, { kind: 'identity', ...(maxSize !== undefined && { maxSize }) });
  } catch (error) {
    throw policyDocumentError(error);
  }
  return text;
}

export async function createPolicy(
  deps: IamDeps,
  by: AuditedBy,
  input: { accountId: string; policyName: string; path?: string; policyDocument: string; description?: string; tags?: Tags },
): Promise<PolicyView> {
  const name = checkName('policyName', input.policyName, 128);
  const path = checkPath('path', input.path);
  const document = checkIdentityDocument('policyDocument', input.policyDocument);
  const description = checkDescription(input.description);
  const tags = checkTags(input.tags);
  const now = deps.clock.now();
  const policy: IamPolicy = {
    id: newPolicyId(deps.random),
    account_id: input.accountId,
    name,
    path,
    arn: `arn:aws:iam::${input.accountId}:policy${path}${name}`,
    description: description ?? null,
    default_version_id: 'v1',
    next_version: 2,
    created_at: now,
    updated_at: now,
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw noSuchEntity(`There is no account ${input.accountId}.`);
    if (await tx.iamPolicies.findByName(input.accountId, name)) throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    await tx.iamPolicies.create(policy, { policy_id: policy.id, version_id: 'v1', document, created_at: now });
    await tx.iamTags.put(policy.id, tags);
    // Nothing is attached yet: no decision changes, so the generations stay.
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreatePolicy',
        accountId: input.accountId,
        requestParameters: { policyName: name, path, policyDocument: document, ...(description !== undefined && { description }), ...(Object.keys(tags).length && { tags: tagList(tags) }) },
        responseElements: {
          policy: { policyName: name, policyId: policy.id, arn: policy.arn, path, defaultVersionId: 'v1', attachmentCount: 0, permissionsBoundaryUsageCount: 0, isAttachable: true, createDate: iamDate(now), updateDate: iamDate(now) },
        },
        resources: policyResource(policy.arn),
      },
      'none',
      now,
    );
  });
  return policyViewOf({ kind: 'customer', policy }, 0, tags);
}

export async function getPolicy(repos: Repos, accountId: string, arn: string): Promise<PolicyView> {
  const resolved = await resolvePolicy(repos, accountId, arn);
  const count = (await repos.iamPrincipalPolicies.attachmentCounts(accountId)).get(arn) ?? 0;
  return policyViewOf(resolved, count, resolved.kind === 'customer' ? await repos.iamTags.list(resolved.policy.id) : {});
}

export type PolicyScope = 'All' | 'AWS' | 'Local';

export async function listPolicies(repos: Repos, input: { accountId: string; scope?: PolicyScope; onlyAttached?: boolean; pathPrefix?: string } & PageRequest): Promise<Page<PolicyView>> {
  const scope = input.scope ?? 'All';
  if (!['All', 'AWS', 'Local'].includes(scope)) throw validationError('scope', scope, 'must satisfy enum value set: [All, AWS, Local]');
  const pathPrefix = checkPathPrefix('pathPrefix', input.pathPrefix);
  const counts = await repos.iamPrincipalPolicies.attachmentCounts(input.accountId);
  const views: PolicyView[] = [];
  if (scope !== 'Local') for (const arn of awsManagedIdentityPolicies()) views.push(policyViewOf(await resolvePolicy(repos, input.accountId, arn), counts.get(arn) ?? 0));
  // IAM's quota is 1,500 customer-managed policies per account (raisable to 5,000): one read.
  if (scope !== 'AWS') for (const policy of await repos.iamPolicies.list({ accountId: input.accountId, limit: 5_000 })) views.push(policyViewOf({ kind: 'customer', policy }, counts.get(policy.arn) ?? 0));
  const kept = views
    .filter((v) => (!pathPrefix || v.path.startsWith(pathPrefix)) && (!input.onlyAttached || v.attachmentCount > 0))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  return pageOfList(input, kept, keyOf);
}

const keyOf = (view: PolicyView) => `${view.policyName}\u0000${view.arn}`;

export async function deletePolicy(deps: IamDeps, by: AuditedBy, input: { accountId: string; policyArn: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const resolved = await resolvePolicy(tx, input.accountId, input.policyArn);
    if (resolved.kind === 'aws') throw new IamError('UnmodifiableEntity', `Cannot delete AWS managed policy ${resolved.arn}.`);
    const { policy } = resolved;
    if ((await tx.iamPrincipalPolicies.attachmentsOf(policy.arn, input.accountId)).length) throw deleteConflict('Cannot delete a policy attached to entities.');
    if ((await tx.iamPolicies.versions(policy.id)).length > 1) {
      throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    await tx.iamPolicies.delete(policy.id);
    await recordChange(tx, deps, by, { eventName: 'DeletePolicy', accountId: input.accountId, requestParameters: { policyArn: policy.arn }, resources: policyResource(policy.arn) }, 'none');
  });
}

export { policyResource };
