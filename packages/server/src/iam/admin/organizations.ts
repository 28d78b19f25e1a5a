// AWS Organizations for `keyless admin org …`: the organization and its root, OUs, member
// accounts, and where they sit. Like AWS, every root, OU and account gets FullAWSAccess when it is
// created or joins, so SCPs restrict only once an administrator attaches narrower ones.
import type { OrganizationsErrorCode } from '../../aws-api/errors.ts';
import { ORGANIZATIONS_SOURCE } from '../../audit/iam-events.ts';
import type { Organization, OrgAccount, OrgUnit, Repos } from '../../store/store.ts';
import { FULL_AWS_ACCESS_ID } from '../policy/index.ts';
import { newOrganizationId, newRootId, newUnitId } from '../ids.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';

/** Organizations' own errors, named as its API names them. */
export class OrganizationsError extends Error {
  override readonly name = 'OrganizationsError';
  constructor(
    readonly code: OrganizationsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const OU_NAME = /^[\s\S]{1,128}$/;
/** How deep OUs nest under the root (AWS's quota: five levels). */
export const MAX_OU_DEPTH = 5;

export interface OrganizationTree {
  organization: Organization;
  units: OrgUnit[];
  accounts: OrgAccount[];
}

export async function createOrganization(deps: IamDeps, by: AuditedBy, input: { managementAccountId: string }): Promise<Organization> {
  const now = deps.clock.now();
  const organization: Organization = { id: newOrganizationId(deps.random), management_account_id: input.managementAccountId, root_id: newRootId(deps.random), root_access_management: 0, created_at: now };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.managementAccountId))) throw new OrganizationsError('AccountNotFoundException', `There is no account ${input.managementAccountId}.`);
    if (await tx.organizations.membership(input.managementAccountId)) throw new OrganizationsError('AlreadyInOrganizationException', `Account ${input.managementAccountId} is already in an organization.`);
    await tx.organizations.create(organization);
    await tx.organizations.addAccount({ account_id: input.managementAccountId, organization_id: organization.id, parent_id: organization.root_id, joined_at: now, root_credentials_removed_at: null });
    await attachFullAccess(tx, organization, organization.root_id, now);
    await attachFullAccess(tx, organization, input.managementAccountId, now);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreateOrganization',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: input.managementAccountId,
        requestParameters: { featureSet: 'ALL' },
        responseElements: { organization: { id: organization.id, masterAccountId: input.managementAccountId, featureSet: 'ALL' } },
        resources: [{ type: 'AWS::Organizations::Organization', name: organization.id }],
      },
      'org',
      now,
    );
  });
  return organization;
}

const attachFullAccess = (tx: Repos, organization: Organization, targetId: string, now: number) =>
  tx.organizations.attach({ policy_id: FULL_AWS_ACCESS_ID, target_id: targetId, organization_id: organization.id, attached_at: now });

/** The organization a root, OU or account id belongs to; an error naming the id when none does. */
export async function organizationOf(repos: Repos, id: string): Promise<Organization> {
  const organization = id.startsWith('r-')
    ? await repos.organizations.findByRoot(id)
    : id.startsWith('ou-')
      ? await repos.organizations.findUnit(id).then((unit) => unit && repos.organizations.find(unit.organization_id))
      : id.startsWith('o-')
        ? await repos.organizations.find(id)
        : (await repos.organizations.membership(id))?.organization;
  if (!organization) throw new OrganizationsError('TargetNotFoundException', `No organization has a root, OU or account ${id}.`);
  return organization;
}

/** A parent (root or OU) of `organization`, with its depth below the root (root: 0). */
async function parentDepth(repos: Repos, organization: Organization, parentId: string): Promise<number> {
  if (parentId === organization.root_id) return 0;
  const units = new Map((await repos.organizations.listUnits(organization.id)).map((u) => [u.id, u]));
  let depth = 0;
  for (let id = parentId; id !== organization.root_id; depth++) {
    const unit = units.get(id);
    if (!unit) throw new OrganizationsError('ParentNotFoundException', `${parentId} is not a root or OU of ${organization.id}.`);
    id = unit.parent_id;
  }
  return depth;
}

export async function createUnit(deps: IamDeps, by: AuditedBy, input: { parentId: string; name: string }): Promise<OrgUnit> {
  if (!OU_NAME.test(input.name)) throw new OrganizationsError('InvalidInputException', 'An OU name is 1 to 128 characters.');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.parentId);
    if ((await parentDepth(tx, organization, input.parentId)) >= MAX_OU_DEPTH) throw new OrganizationsError('ConstraintViolationException', `OUs nest at most ${MAX_OU_DEPTH} levels deep.`);
    const siblings = (await tx.organizations.listUnits(organization.id)).filter((u) => u.parent_id === input.parentId);
    if (siblings.some((u) => u.name === input.name)) throw new OrganizationsError('DuplicateOrganizationalUnitException', `An OU named ${input.name} already exists in ${input.parentId}.`);
    const unit: OrgUnit = { id: newUnitId(deps.random, organization.root_id), organization_id: organization.id, parent_id: input.parentId, name: input.name, created_at: now };
    await tx.organizations.createUnit(unit);
    await attachFullAccess(tx, organization, unit.id, now);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'CreateOrganizationalUnit',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: organization.management_account_id,
        requestParameters: { parentId: input.parentId, name: input.name },
        responseElements: { organizationalUnit: { id: unit.id, name: unit.name } },
        resources: [{ type: 'AWS::Organizations::OrganizationalUnit', name: unit.id }],
      },
      'org',
      now,
    );
    return unit;
  });
}

/** Brings an account into the organization (AWS: an invitation it accepts), under `parentId` or the root. */
export async function addAccount(deps: IamDeps, by: AuditedBy, input: { organizationId: string; accountId: string; parentId?: string }): Promise<OrgAccount> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.organizationId);
    if (!(await tx.directory.findAccount(input.accountId))) throw new OrganizationsError('AccountNotFoundException', `There is no account ${input.accountId}.`);
    if (await tx.organizations.membership(input.accountId)) throw new OrganizationsError('DuplicateAccountException', `Account ${input.accountId} is already in an organization.`);
    const parentId = input.parentId ?? organization.root_id;
    await parentDepth(tx, organization, parentId);
    const member: OrgAccount = { account_id: input.accountId, organization_id: organization.id, parent_id: parentId, joined_at: now, root_credentials_removed_at: null };
    await tx.organizations.addAccount(member);
    await attachFullAccess(tx, organization, input.accountId, now);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'InviteAccountToOrganization',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: organization.management_account_id,
        requestParameters: { target: { id: input.accountId, type: 'ACCOUNT' }, parentId },
        resources: [{ type: 'AWS::Organizations::Account', name: input.accountId }],
      },
      'org',
      now,
    );
    return member;
  });
}

export async function moveAccount(deps: IamDeps, by: AuditedBy, input: { accountId: string; destinationParentId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const membership = await tx.organizations.membership(input.accountId);
    if (!membership) throw new OrganizationsError('AccountNotFoundException', `Account ${input.accountId} is not in an organization.`);
    await parentDepth(tx, membership.organization, input.destinationParentId);
    await tx.organizations.moveAccount(input.accountId, input.destinationParentId);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'MoveAccount',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: membership.organization.management_account_id,
        requestParameters: { accountId: input.accountId, sourceParentId: membership.account.parent_id, destinationParentId: input.destinationParentId },
        resources: [{ type: 'AWS::Organizations::Account', name: input.accountId }],
      },
      'org',
    );
  });
}

export async function removeAccount(deps: IamDeps, by: AuditedBy, input: { accountId: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const membership = await tx.organizations.membership(input.accountId);
    if (!membership) throw new OrganizationsError('AccountNotFoundException', `Account ${input.accountId} is not in an organization.`);
    if (membership.organization.management_account_id === input.accountId) {
      throw new OrganizationsError('ConstraintViolationException', 'The management account cannot leave its organization.');
    }
    for (const attachment of await tx.organizations.attachmentsOn([input.accountId])) await tx.organizations.detach(attachment.policy_id, input.accountId);
    await tx.organizations.removeAccount(input.accountId);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: 'RemoveAccountFromOrganization',
        eventSource: ORGANIZATIONS_SOURCE,
        accountId: membership.organization.management_account_id,
        requestParameters: { accountId: input.accountId },
        resources: [{ type: 'AWS::Organizations::Account', name: input.accountId }],
      },
      'org',
    );
  });
}

export async function describeOrganization(repos: Repos, id: string): Promise<OrganizationTree> {
  const organization = await organizationOf(repos, id);
  return { organization, units: await repos.organizations.listUnits(organization.id), accounts: await repos.organizations.listAccounts(organization.id) };
}
