// IAM roles: CreateRole, GetRole, ListRoles, UpdateAssumeRolePolicy, UpdateRole, DeleteRole. The
// trust policy is validated as one (a Principal is required); a role session's decisions use the
// role's own policies and tags.
import { iamDate } from '../../audit/iam-events.ts';
import type { AuditResource, IamRole, Repos, Tags } from '../../store/store.ts';
import { parsePolicyDocument } from '../policy/index.ts';
import { alreadyExists, deleteConflict, noSuchEntity, policyDocumentError, validationError } from '../errors.ts';
import { newRoleId } from '../ids.ts';
import { checkDescription, checkName, checkPath, checkPathPrefix, checkRoleSessionSeconds, checkTags } from '../validate.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { KINDS, roleNamed, roleView, tagList, type RoleView } from './entities.ts';
import { pageOf, type Page, type PageRequest } from './pages.ts';

const roleResource = (name: string): AuditResource[] => [{ type: 'AWS::IAM::Role', name }];

function checkTrustPolicy(text: string | undefined): string {
  if (!text) throw validationError('assumeRolePolicyDocument', text, 'must not be null');
  try {
    parsePolicyDocument(text, { kind: 'trust' });
  } catch (error) {
    throw policyDocumentError(error);
  }
  return text;
}

export async function createRole(
  deps: IamDeps,
  by: AuditedBy,
  input: { accountId: string; roleName: string; path?: string; assumeRolePolicyDocument: string; description?: string; maxSessionDuration?: number; tags?: Tags },
): Promise<RoleView> {
  const name = checkName(KINDS.role.parameter, input.roleName, KINDS.role.nameLimit);
  const path = checkPath('path', input.path);
  const trust = checkTrustPolicy(input.assumeRolePolicyDocument);
  const description = checkDescription(input.description);
  const maxSessionSeconds = checkRoleSessionSeconds(input.maxSessionDuration);
  const tags = checkTags(input.tags);
  const now = deps.clock.now();
  const role: IamRole = {
    id: newRoleId(deps.random),
    account_id: input.accountId,
    name,
    path,
    arn: `arn:aws:iam::${input.accountId}:role${path}${name}`,
    description: description ?? null,
    trust_policy: trust,
    max_session_seconds: maxSessionSeconds,
    created_at: now,
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw noSuchEntity(`There is no account ${input.accountId}.`);
    if (await tx.iamRoles.findByName(input.accountId, name)) throw alreadyExists(`Role with name ${name} already exists.`);
    await tx.iamRoles.create(role);
    await tx.iamTags.put(role.id, tags);
    await recordChange(tx, deps, by, {
      eventName: 'CreateRole',
      accountId: input.accountId,
      requestParameters: { roleName: name, path, assumeRolePolicyDocument: trust, ...(description !== undefined && { description }), maxSessionDuration: maxSessionSeconds, ...(Object.keys(tags).length && { tags: tagList(tags) }) },
      responseElements: { role: { path, roleName: name, roleId: role.id, arn: role.arn, createDate: iamDate(now), assumeRolePolicyDocument: encodeURIComponent(trust) } },
      resources: roleResource(name),
    }, 'account', now);
  });
  return roleView(role, tags);
}

export async function getRole(repos: Repos, accountId: string, roleName: string): Promise<RoleView> {
  const role = await roleNamed(repos, accountId, roleName);
  return roleView(role, await repos.iamTags.list(role.id));
}

export async function listRoles(repos: Repos, input: { accountId: string; pathPrefix?: string } & PageRequest): Promise<Page<RoleView>> {
  const pathPrefix = checkPathPrefix('pathPrefix', input.pathPrefix);
  const page = await pageOf(input, (after, limit) => repos.iamRoles.list({ accountId: input.accountId, pathPrefix, after, limit }), (r) => r.name);
  return { ...page, items: page.items.map((r) => roleView(r)) };
}

export async function updateAssumeRolePolicy(deps: IamDeps, by: AuditedBy, input: { accountId: string; roleName: string; policyDocument: string }): Promise<void> {
  const trust = checkTrustPolicy(input.policyDocument);
  await deps.store.transaction(async (tx) => {
    const role = await roleNamed(tx, input.accountId, input.roleName);
    await tx.iamRoles.updateTrustPolicy(role.id, trust);
    await recordChange(tx, deps, by, { eventName: 'UpdateAssumeRolePolicy', accountId: input.accountId, requestParameters: { roleName: role.name, policyDocument: trust }, resources: roleResource(role.name) });
  });
}

export async function updateRole(deps: IamDeps, by: AuditedBy, input: { accountId: string; roleName: string; description?: string; maxSessionDuration?: number }): Promise<void> {
  const description = checkDescription(input.description);
  const maxSessionSeconds = input.maxSessionDuration === undefined ? undefined : checkRoleSessionSeconds(input.maxSessionDuration);
  await deps.store.transaction(async (tx) => {
    const role = await roleNamed(tx, input.accountId, input.roleName);
    await tx.iamRoles.update(role.id, { ...(description !== undefined && { description }), ...(maxSessionSeconds !== undefined && { max_session_seconds: maxSessionSeconds }) });
    await recordChange(tx, deps, by, {
      eventName: 'UpdateRole',
      accountId: input.accountId,
      requestParameters: { roleName: role.name, ...(description !== undefined && { description }), ...(maxSessionSeconds !== undefined && { maxSessionDuration: maxSessionSeconds }) },
      resources: roleResource(role.name),
    });
  });
}

export async function deleteRole(deps: IamDeps, by: AuditedBy, input: { accountId: string; roleName: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const role = await roleNamed(tx, input.accountId, input.roleName);
    if ((await tx.iamPrincipalPolicies.listInline(role.id)).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if ((await tx.iamPrincipalPolicies.listAttached(role.id)).length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    await tx.iamRoles.delete(role.id);
    await recordChange(tx, deps, by, { eventName: 'DeleteRole', accountId: input.accountId, requestParameters: { roleName: role.name }, resources: roleResource(role.name) });
  });
}
