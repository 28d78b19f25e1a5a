// IAM's query-protocol XML, the shapes `@aws-sdk/client-iam` parses: members of lists wrapped in
// <member>, timestamps in ISO 8601, and policy documents URL-encoded (RFC 3986), as IAM returns
// them in GetPolicyVersion, Get…Policy and GetRole.
import { escapeXml } from '../../aws-api/service.ts';
import type { Tags } from '../../store/store.ts';
import type { GroupView, RoleView, UserView } from '../admin/entities.ts';
import type { PolicyView } from '../admin/managed-policies.ts';
import type { PolicyVersionView } from '../admin/policy-versions.ts';
import type { Page } from '../admin/pages.ts';

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One element; nothing when the value is absent. */
export const el = (name: string, value: string | number | boolean | undefined): string => (value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`);

export const wrap = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export const members = <T>(name: string, items: readonly T[], render: (item: T) => string): string => wrap(name, items.map((item) => wrap('member', render(item))).join(''));

/** The truncation elements every IAM list answer ends with. */
export const paging = (page: Pick<Page<unknown>, 'isTruncated' | 'marker'>): string => el('IsTruncated', page.isTruncated) + el('Marker', page.marker);

export const encodedDocument = (text: string) => encodeURIComponent(text);

export const tagsXml = (tags: Tags): string => (Object.keys(tags).length ? members('Tags', Object.entries(tags), ([key, value]) => el('Key', key) + el('Value', value)) : '');

export const userXml = (user: UserView): string =>
  el('Path', user.path) + el('UserName', user.userName) + el('UserId', user.userId) + el('Arn', user.arn) + el('CreateDate', iso(user.createDate)) + tagsXml(user.tags);

export const groupXml = (group: GroupView): string => el('Path', group.path) + el('GroupName', group.groupName) + el('GroupId', group.groupId) + el('Arn', group.arn) + el('CreateDate', iso(group.createDate));

export const roleXml = (role: RoleView): string =>
  el('Path', role.path) +
  el('RoleName', role.roleName) +
  el('RoleId', role.roleId) +
  el('Arn', role.arn) +
  el('CreateDate', iso(role.createDate)) +
  el('AssumeRolePolicyDocument', encodedDocument(role.assumeRolePolicyDocument)) +
  el('Description', role.description) +
  el('MaxSessionDuration', role.maxSessionDuration) +
  tagsXml(role.tags);

export const policyXml = (policy: PolicyView): string =>
  el('PolicyName', policy.policyName) +
  el('PolicyId', policy.policyId) +
  el('Arn', policy.arn) +
  el('Path', policy.path) +
  el('DefaultVersionId', policy.defaultVersionId) +
  el('AttachmentCount', policy.attachmentCount) +
  el('PermissionsBoundaryUsageCount', policy.permissionsBoundaryUsageCount) +
  el('IsAttachable', policy.isAttachable) +
  el('Description', policy.description) +
  el('CreateDate', iso(policy.createDate)) +
  el('UpdateDate', iso(policy.updateDate)) +
  tagsXml(policy.tags);

export const policyVersionXml = (version: PolicyVersionView, withDocument: boolean): string =>
  (withDocument ? el('Document', encodedDocument(version.document)) : '') + el('VersionId', version.versionId) + el('IsDefaultVersion', version.isDefaultVersion) + el('CreateDate', iso(version.createDate));
