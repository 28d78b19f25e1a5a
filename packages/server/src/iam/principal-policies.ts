// Everything a decision about one principal needs, read from the store: who it is (type, user
// id, tags), its identity policies — inline and attached managed, on the user and each of its
// groups, or on the role — and the SCP path from the organization root through its OUs to the
// account. Run only when the policy generations moved (policy-authorizer.ts caches the result).
import {
  AWS_MANAGED_POLICIES,
  FULL_AWS_ACCESS_ARN,
  FULL_AWS_ACCESS_ID,
  type CompiledPolicy,
  type PolicySet,
  type PolicySource,
  type RequestPrincipal,
  type ScpTarget,
} from './policy/index.ts';
import type { IamOwnerType, LoginSession, OrgMembership } from '../store/store.ts';
import type { AuthorizerRepos } from './authorizer.ts';
import type { CompiledPolicies } from './compiled-policies.ts';

export interface LoadedPrincipal {
  principal: RequestPrincipal;
  set: PolicySet;
  /** Set when nothing may be allowed at all: the principal is gone, or its root credentials were removed. */
  refusal?: string;
}

export type SessionPrincipalRef = Pick<LoginSession, 'principal_id' | 'account_id' | 'arn'>;

const ASSUMED_ROLE = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const EMPTY_SET: PolicySet = { identityPolicies: [], scpPath: [], subjectToScps: false, isRoot: false };

/**
 * `sessionPolicyArns`: the managed session policies of an STS role session, loaded into
 * `set.sessionPolicies` (a policy that no longer exists allows nothing, so the set stays limiting).
 */
export async function loadPrincipalPolicies(repos: AuthorizerRepos, ref: SessionPrincipalRef, compiled: CompiledPolicies, sessionPolicyArns?: readonly string[]): Promise<LoadedPrincipal> {
  const who = await identify(repos, ref);
  if ('refusal' in who) return { principal: who.principal, set: EMPTY_SET, refusal: who.refusal };
  const isRoot = who.principal.type === 'Root';
  try {
    const identityPolicies = isRoot ? [] : await identityPoliciesOf(repos, who.owners, compiled);
    const membership = await repos.organizations.membership(ref.account_id);
    const subjectToScps = membership !== undefined && membership.organization.management_account_id !== ref.account_id;
    const scpPath = subjectToScps ? await scpPathOf(repos, membership, compiled) : [];
    const set: PolicySet = { identityPolicies, scpPath, subjectToScps, isRoot };
    if (sessionPolicyArns?.length) set.sessionPolicies = await managedPoliciesOf(repos, sessionPolicyArns, compiled);
    if (isRoot && membership && rootCredentialsRemoved(membership)) {
      return { principal: who.principal, set, refusal: `The root user's credentials for account ${ref.account_id} were removed by its organization's centralised root access management.` };
    }
    return { principal: who.principal, set };
  } catch (error) {
    // Fail closed: a document that no longer parses might have held a Deny.
    return { principal: who.principal, set: { ...EMPTY_SET, isRoot }, refusal: `A policy of ${ref.arn} could not be read (${(error as Error).message}).` };
  }
}

/** Removed credentials count only while the organization manages root access centrally. */
export const rootCredentialsRemoved = (membership: OrgMembership): boolean =>
  membership.organization.root_access_management === 1 &&
  membership.account.root_credentials_removed_at !== null &&
  membership.organization.management_account_id !== membership.account.account_id;

type Owner = { id: string; type: IamOwnerType; name: string };
type Identified = { principal: RequestPrincipal; owners: Owner[] } | { principal: RequestPrincipal; refusal: string };

async function identify(repos: AuthorizerRepos, ref: SessionPrincipalRef): Promise<Identified> {
  const role = ASSUMED_ROLE.exec(ref.arn);
  if (role) {
    const [, accountId, roleName, sessionName] = role;
    const found = await repos.iamRoles.findByName(accountId!, roleName!);
    const principal: RequestPrincipal = { arn: ref.arn, accountId: accountId!, type: 'AssumedRole', userId: found ? `${found.id}:${sessionName}` : ref.principal_id };
    if (!found) return { principal, refusal: `The role ${roleName} no longer exists.` };
    // A role deleted and created again under its name is another role (a new AROA id): the
    // sessions of the first one get none of the second one's permissions.
    if (found.id !== ref.principal_id.split(':')[0]) return { principal, refusal: `The role ${roleName} this session was issued for was deleted.` };
    return {
      principal: { ...principal, roleArn: found.arn, tags: await repos.iamTags.list(found.id) },
      owners: [{ id: found.id, type: 'role', name: found.name }],
    };
  }
  const row = await repos.directory.findPrincipal(ref.principal_id);
  if (!row || row.arn !== ref.arn) {
    const principal: RequestPrincipal = { arn: ref.arn, accountId: ref.account_id, type: ref.arn.endsWith(':root') ? 'Root' : 'IAMUser', userId: ref.principal_id };
    return { principal, refusal: `${ref.arn} no longer exists.` };
  }
  if (row.kind === 'root') return { principal: { arn: row.arn, accountId: row.account_id, type: 'Root', userId: row.account_id }, owners: [] };
  const groups = await repos.iamGroups.groupsOf(row.id);
  return {
    principal: { arn: row.arn, accountId: row.account_id, type: 'IAMUser', userId: row.id, username: row.name, tags: await repos.iamTags.list(row.id) },
    owners: [{ id: row.id, type: 'user', name: row.name }, ...groups.map((g) => ({ id: g.id, type: 'group' as const, name: g.name }))],
  };
}

async function identityPoliciesOf(repos: AuthorizerRepos, owners: Owner[], compiled: CompiledPolicies): Promise<CompiledPolicy[]> {
  const ids = owners.map((o) => o.id);
  const nameOf = new Map(owners.map((o) => [o.id, o.name]));
  const [inline, attached] = [await repos.policyState.inlineOf(ids), await repos.policyState.attachedOf(ids)];
  const policies: CompiledPolicy[] = [];
  for (const row of inline) {
    policies.push(compiled.get('identity', row.document, { kind: 'inline', name: row.name, on: row.owner_type, owner: nameOf.get(row.owner_id) }));
  }
  for (const row of attached) {
    const text = row.document ?? AWS_MANAGED_POLICIES.get(row.policy_arn);
    // An attachment whose policy is gone allows nothing; deletion refuses while attached anyway.
    if (text === undefined) continue;
    policies.push(compiled.get('identity', text, { kind: 'managed', arn: row.policy_arn }));
  }
  return policies;
}

async function managedPoliciesOf(repos: AuthorizerRepos, arns: readonly string[], compiled: CompiledPolicies): Promise<CompiledPolicy[]> {
  const policies: CompiledPolicy[] = [];
  for (const arn of arns) {
    let text = AWS_MANAGED_POLICIES.get(arn);
    if (text === undefined) {
      const policy = await repos.iamPolicies.findByArn(arn);
      text = policy && (await repos.iamPolicies.findVersion(policy.id, policy.default_version_id))?.document;
    }
    if (text !== undefined) policies.push(compiled.get('identity', text, { kind: 'managed', arn }));
  }
  return policies;
}

/** Root → OUs (top down) → account: one level each, every level must allow (AWS's SCP logic). */
async function scpPathOf(repos: AuthorizerRepos, membership: OrgMembership, compiled: CompiledPolicies): Promise<CompiledPolicy[][]> {
  const { organization, account } = membership;
  const units = new Map((await repos.organizations.listUnits(organization.id)).map((u) => [u.id, u]));
  const targets: ScpTarget[] = [{ type: 'account', id: account.account_id }];
  for (let parent = account.parent_id; parent !== organization.root_id; ) {
    const unit = units.get(parent);
    if (!unit || targets.length > units.size + 1) throw new Error(`the organization's tree is broken at ${parent}`);
    targets.unshift({ type: 'ou', id: unit.id, name: unit.name });
    parent = unit.parent_id;
  }
  targets.unshift({ type: 'root', id: organization.root_id, name: 'Root' });
  const rows = await repos.policyState.scpsOn(targets.map((t) => t.id));
  return targets.map((target) =>
    rows
      .filter((row) => row.target_id === target.id)
      .map((row) => {
        const managed = row.policy_id === FULL_AWS_ACCESS_ID;
        const text = managed ? AWS_MANAGED_POLICIES.get(FULL_AWS_ACCESS_ARN)! : row.document;
        if (text === null) throw new Error(`SCP ${row.policy_id} is attached but does not exist`);
        const source: PolicySource = { kind: 'scp', id: row.policy_id, name: managed ? 'FullAWSAccess' : (row.name ?? undefined), target };
        return compiled.get('scp', text, source);
      }),
  );
}
