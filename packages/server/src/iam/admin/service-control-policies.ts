// Service control policies: CreatePolicy, UpdatePolicy, DeletePolicy, AttachPolicy, DetachPolicy
// (type SERVICE_CONTROL_POLICY), validated as SCPs by the engine. Like AWS, a target keeps at least
// one SCP (detaching the last would deny everything below it) and holds at most five.
import { ORGANIZATIONS_SOURCE } from '../../audit/iam-events.ts';
import type { OrgPolicy, OrgPolicyAttachment, Repos } from '../../store/store.ts';
import { AWS_MANAGED_POLICIES, FULL_AWS_ACCESS_ARN, FULL_AWS_ACCESS_ID, parsePolicyDocument, PolicyValidationError } from '../policy/index.ts';
import { newScpId } from '../ids.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { organizationOf, OrganizationsError } from './organizations.ts';

export const MAX_SCPS_PER_TARGET = 5;
const SCP_NAME = /^[\s\S]{1,128}$/;

export interface ScpView {
  id: string;
  name: string;
  description: string;
  awsManaged: boolean;
  content: string;
  targets: string[];
}

function checkContent(content: string): string {
  try {
    parsePolicyDocument(content, { kind: 'scp' });
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new OrganizationsError('MalformedPolicyDocumentException', error.path ? `${error.path}: ${error.detail}` : error.detail);
    throw error;
  }
  return content;
}

const fullAccess = (): OrgPolicy => ({
  id: FULL_AWS_ACCESS_ID,
  organization_id: '',
  name: 'FullAWSAccess',
  description: 'Allows access to every operation',
  document: AWS_MANAGED_POLICIES.get(FULL_AWS_ACCESS_ARN)!,
  created_at: 0,
  updated_at: 0,
});

async function scpOf(repos: Repos, organizationId: string, policyId: string): Promise<OrgPolicy> {
  if (policyId === FULL_AWS_ACCESS_ID) return fullAccess();
  const policy = await repos.organizations.findPolicy(policyId);
  if (!policy || policy.organization_id !== organizationId) throw new OrganizationsError('PolicyNotFoundException', `There is no SCP ${policyId} in ${organizationId}.`);
  return policy;
}

export async function createScp(deps: IamDeps, by: AuditedBy, input: { organizationId: string; name: string; description?: string; content: string }): Promise<OrgPolicy> {
  if (!SCP_NAME.test(input.name)) throw new OrganizationsError('InvalidInputException', 'An SCP name is 1 to 128 characters.');
  const content = checkContent(input.content);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.organizationId);
    if (input.name === 'FullAWSAccess' || (await tx.organizations.findPolicyByName(organization.id, input.name))) {
      throw new OrganizationsError('DuplicatePolicyException', `An SCP named ${input.name} already exists.`);
    }
    const policy: OrgPolicy = { id: newScpId(deps.random), organization_id: organization.id, name: input.name, description: input.description ?? '', document: content, created_at: now, updated_at: now };
    await tx.organizations.createPolicy(policy);
    // Not attached anywhere yet: no decision changes.
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreatePolicy',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: organization.management_account_id,
        requestParameters: { name: policy.name, description: policy.description, type: 'SERVICE_CONTROL_POLICY', content },
        responseElements: { policy: { policySummary: { id: policy.id, name: policy.name, type: 'SERVICE_CONTROL_POLICY', awsManaged: false } } },
        resources: [{ type: 'AWS::Organizations::Policy', name: policy.id }],
      },
      'none',
      now,
    );
    return policy;
  });
}

export async function updateScp(deps: IamDeps, by: AuditedBy, input: { policyId: string; name?: string; description?: string; content?: string }): Promise<void> {
  if (input.policyId === FULL_AWS_ACCESS_ID) throw new OrganizationsError('PolicyChangesNotAllowedException', 'FullAWSAccess is AWS-managed and cannot be changed.');
  const content = input.content === undefined ? undefined : checkContent(input.content);
  await deps.store.transaction(async (tx) => {
    const existing = await tx.organizations.findPolicy(input.policyId);
    if (!existing) throw new OrganizationsError('PolicyNotFoundException', `There is no SCP ${input.policyId}.`);
    await tx.organizations.updatePolicy(existing.id, { ...(input.name !== undefined && { name: input.name }), ...(input.description !== undefined && { description: input.description }), ...(content !== undefined && { document: content }) }, deps.clock.now());
    const organization = (await tx.organizations.find(existing.organization_id))!;
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'UpdatePolicy',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: organization.management_account_id,
        requestParameters: { policyId: existing.id, ...(input.name !== undefined && { name: input.name }), ...(input.description !== undefined && { description: input.description }), ...(content !== undefined && { content }) },
        resources: [{ type: 'AWS::Organizations::Policy', name: existing.id }],
      },
      'org',
    );
  });
}

export async function deleteScp(deps: IamDeps, by: AuditedBy, input: { policyId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const existing = await tx.organizations.findPolicy(input.policyId);
    if (!existing) throw new OrganizationsError('PolicyNotFoundException', `There is no SCP ${input.policyId}.`);
    if ((await tx.organizations.targetsOf(existing.id)).length) throw new OrganizationsError('PolicyInUseException', `SCP ${existing.id} is attached; detach it from every target first.`);
    await tx.organizations.deletePolicy(existing.id);
    const organization = (await tx.organizations.find(existing.organization_id))!;
    await recordChange(
      tx,
      deps,
      by,
      { eventName: 'DeletePolicy', eventSource: ORGANIZATIONS_SOURCE, accountId: organization.management_account_id, requestParameters: { policyId: existing.id }, resources: [{ type: 'AWS::Organizations::Policy', name: existing.id }] },
      'none',
    );
  });
}

/** Checks that `targetId` is this organization's root, one of its OUs, or one of its accounts. */
async function checkTarget(repos: Repos, organizationId: string, targetId: string): Promise<void> {
  const organization = await organizationOf(repos, targetId).catch(() => undefined);
  if (organization?.id !== organizationId) throw new OrganizationsError('TargetNotFoundException', `${targetId} is not a root, OU or account of ${organizationId}.`);
}

export async function attachScp(deps: IamDeps, by: AuditedBy, input: { policyId: string; targetId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.targetId);
    await scpOf(tx, organization.id, input.policyId);
    await checkTarget(tx, organization.id, input.targetId);
    const attached = await tx.organizations.attachmentsOn([input.targetId]);
    if (attached.some((a) => a.policy_id === input.policyId)) throw new OrganizationsError('DuplicatePolicyAttachmentException', `SCP ${input.policyId} is already attached to ${input.targetId}.`);
    if (attached.length >= MAX_SCPS_PER_TARGET) throw new OrganizationsError('ConstraintViolationException', `A target holds at most ${MAX_SCPS_PER_TARGET} SCPs.`);
    await tx.organizations.attach({ policy_id: input.policyId, target_id: input.targetId, organization_id: organization.id, attached_at: deps.clock.now() });
    await recordChange(
      tx,
      deps,
      by,
      { eventName: 'AttachPolicy', eventSource: ORGANIZATIONS_SOURCE, accountId: organization.management_account_id, requestParameters: { policyId: input.policyId, targetId: input.targetId }, resources: [{ type: 'AWS::Organizations::Policy', name: input.policyId }] },
      'org',
    );
  });
}

export async function detachScp(deps: IamDeps, by: AuditedBy, input: { policyId: string; targetId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.targetId);
    const attached = await tx.organizations.attachmentsOn([input.targetId]);
    if (!attached.some((a) => a.policy_id === input.policyId)) throw new OrganizationsError('PolicyNotAttachedException', `SCP ${input.policyId} is not attached to ${input.targetId}.`);
    if (attached.length === 1) {
      throw new OrganizationsError('ConstraintViolationException', `${input.policyId} is the last SCP on ${input.targetId}; without one, everything below it would be denied. Attach another first.`);
    }
    await tx.organizations.detach(input.policyId, input.targetId);
    await recordChange(
      tx,
      deps,
      by,
      { eventName: 'DetachPolicy', eventSource: ORGANIZATIONS_SOURCE, accountId: organization.management_account_id, requestParameters: { policyId: input.policyId, targetId: input.targetId }, resources: [{ type: 'AWS::Organizations::Policy', name: input.policyId }] },
      'org',
    );
  });
}

export async function listScps(repos: Repos, organizationId: string): Promise<ScpView[]> {
  const organization = await organizationOf(repos, organizationId);
  const policies = [fullAccess(), ...(await repos.organizations.listPolicies(organization.id))];
  const views: ScpView[] = [];
  for (const policy of policies) {
    const targets: OrgPolicyAttachment[] = (await repos.organizations.targetsOf(policy.id)).filter((t) => t.organization_id === organization.id);
    views.push({ id: policy.id, name: policy.name, description: policy.description, awsManaged: policy.id === FULL_AWS_ACCESS_ID, content: policy.document, targets: targets.map((t) => t.target_id) });
  }
  return views;
}
