// A customer-managed policy's versions: CreatePolicyVersion (at most five, like AWS),
// GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion, DeletePolicyVersion. Moving the
// default changes decisions for everyone the policy is attached to, at their next check.
import type { IamPolicyVersion, Repos } from '../../store/store.ts';
import { deleteConflict, IamError, limitExceeded, noSuchEntity, validationError } from '../errors.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { AWS_POLICY_DATE, checkIdentityDocument, policyResource, resolvePolicy, type ResolvedPolicy } from './managed-policies.ts';

export const MAX_POLICY_VERSIONS = 5;
const VERSION_ID = /^v[1-9][0-9]*$/;

export interface PolicyVersionView {
  document: string;
  versionId: string;
  isDefaultVersion: boolean;
  createDate: number;
}

function customer(resolved: ResolvedPolicy, verb: string) {
  if (resolved.kind === 'aws') throw new IamError('UnmodifiableEntity', `Cannot ${verb} AWS managed policy ${resolved.arn}.`);
  return resolved.policy;
}

const viewOf = (version: IamPolicyVersion, defaultVersionId: string): PolicyVersionView => ({
  document: version.document,
  versionId: version.version_id,
  isDefaultVersion: version.version_id === defaultVersionId,
  createDate: version.created_at,
});

function checkVersionId(versionId: string | undefined): string {
  if (!versionId || !VERSION_ID.test(versionId)) throw validationError('versionId', versionId, 'must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
  return versionId;
}

export async function createPolicyVersion(deps: IamDeps, by: AuditedBy, input: { accountId: string; policyArn: string; policyDocument: string; setAsDefault?: boolean }): Promise<PolicyVersionView> {
  const document = checkIdentityDocument('policyDocument', input.policyDocument);
  const setAsDefault = input.setAsDefault ?? false;
  return deps.store.transaction(async (tx) => {
    const policy = customer(await resolvePolicy(tx, input.accountId, input.policyArn), 'change');
    if ((await tx.iamPolicies.versions(policy.id)).length >= MAX_POLICY_VERSIONS) {
      throw limitExceeded(`A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
    }
    const version = await tx.iamPolicies.addVersion(policy, document, setAsDefault, deps.clock.now());
    if (!version) throw new IamError('ConcurrentModification', 'The policy was changed by another request at the same time. Try again.');
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreatePolicyVersion',
        accountId: input.accountId,
        requestParameters: { policyArn: policy.arn, policyDocument: document, setAsDefault },
        responseElements: { policyVersion: { versionId: version.version_id, isDefaultVersion: setAsDefault } },
        resources: policyResource(policy.arn),
      },
      setAsDefault ? 'account' : 'none',
    );
    return viewOf(version, setAsDefault ? version.version_id : policy.default_version_id);
  });
}

export async function getPolicyVersion(repos: Repos, input: { accountId: string; policyArn: string; versionId: string }): Promise<PolicyVersionView> {
  const versionId = checkVersionId(input.versionId);
  const resolved = await resolvePolicy(repos, input.accountId, input.policyArn);
  const missing = () => noSuchEntity(`Policy ${input.policyArn} version ${versionId} does not exist or is not attachable.`);
  if (resolved.kind === 'aws') {
    if (versionId !== 'v1') throw missing();
    return { document: resolved.document, versionId: 'v1', isDefaultVersion: true, createDate: AWS_POLICY_DATE };
  }
  const version = await repos.iamPolicies.findVersion(resolved.policy.id, versionId);
  if (!version) throw missing();
  return viewOf(version, resolved.policy.default_version_id);
}

export async function listPolicyVersions(repos: Repos, input: { accountId: string; policyArn: string }): Promise<PolicyVersionView[]> {
  const resolved = await resolvePolicy(repos, input.accountId, input.policyArn);
  if (resolved.kind === 'aws') return [{ document: resolved.document, versionId: 'v1', isDefaultVersion: true, createDate: AWS_POLICY_DATE }];
  // Newest first, as IAM lists them.
  return (await repos.iamPolicies.versions(resolved.policy.id)).map((v) => viewOf(v, resolved.policy.default_version_id)).reverse();
}

export async function setDefaultPolicyVersion(deps: IamDeps, by: AuditedBy, input: { accountId: string; policyArn: string; versionId: string }): Promise<void> {
  const versionId = checkVersionId(input.versionId);
  await deps.store.transaction(async (tx) => {
    const policy = customer(await resolvePolicy(tx, input.accountId, input.policyArn), 'change');
    if (!(await tx.iamPolicies.findVersion(policy.id, versionId))) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist.`);
    await tx.iamPolicies.setDefaultVersion(policy.id, versionId, deps.clock.now());
    await recordChange(tx, deps, by, { eventName: 'SetDefaultPolicyVersion', accountId: input.accountId, requestParameters: { policyArn: policy.arn, versionId }, resources: policyResource(policy.arn) });
  });
}

export async function deletePolicyVersion(deps: IamDeps, by: AuditedBy, input: { accountId: string; policyArn: string; versionId: string }): Promise<void> {
  const versionId = checkVersionId(input.versionId);
  await deps.store.transaction(async (tx) => {
    const policy = customer(await resolvePolicy(tx, input.accountId, input.policyArn), 'change');
    if (policy.default_version_id === versionId) throw deleteConflict('Cannot delete the default version of a policy.');
    if (!(await tx.iamPolicies.deleteVersion(policy.id, versionId))) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist.`);
    await recordChange(tx, deps, by, { eventName: 'DeletePolicyVersion', accountId: input.accountId, requestParameters: { policyArn: policy.arn, versionId }, resources: policyResource(policy.arn) }, 'none');
  });
}
