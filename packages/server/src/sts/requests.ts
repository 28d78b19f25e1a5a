// The two requests as typed values, every parameter checked against AWS's STS model first
// (parameters.ts): nothing past this sees an unchecked value.
import type { StsInput } from './input.ts';
import { DURATION, LIST_LIMITS, STS_PARAMETERS as P, Violations } from './parameters.ts';

export interface SessionTag {
  key: string;
  value: string;
}

/** What both operations ask of the session to begin. */
export interface RoleSessionRequest {
  roleArn: string;
  roleSessionName: string;
  /** Absent: 3600 s. Checked against the role's maximum later, once the role is known. */
  durationSeconds?: number;
  /** The inline session policy, as given. */
  policy?: string;
  policyArns?: string[];
}

export interface WebIdentityRequest extends RoleSessionRequest {
  webIdentityToken: string;
  providerId?: string;
}

export interface AssumeRoleRequest extends RoleSessionRequest {
  externalId?: string;
  serialNumber?: string;
  tokenCode?: string;
  sourceIdentity?: string;
  tags?: SessionTag[];
  transitiveTagKeys?: string[];
}

function sessionParts(input: StsInput, v: Violations): RoleSessionRequest {
  const roleArn = v.string(P.RoleArn, input.string('RoleArn'), true);
  const roleSessionName = v.string(P.RoleSessionName, input.string('RoleSessionName'), true);
  const durationSeconds = v.integer('durationSeconds', input.string('DurationSeconds'), DURATION);
  const policy = v.string(P.Policy, input.string('Policy'));
  const policyArns = input.structures('PolicyArns', ['arn'])?.map((member) => v.string(P.PolicyArn, member.arn, true) ?? '');
  if (policyArns) v.listLength('policyArns', policyArns.length, LIST_LIMITS.PolicyArns);
  return {
    roleArn: roleArn ?? '',
    roleSessionName: roleSessionName ?? '',
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...(policy !== undefined && { policy }),
    ...(policyArns?.length && { policyArns }),
  };
}

export function parseWebIdentityRequest(input: StsInput): WebIdentityRequest {
  const v = new Violations();
  const parts = sessionParts(input, v);
  const webIdentityToken = v.string(P.WebIdentityToken, input.string('WebIdentityToken'), true);
  const providerId = v.string(P.ProviderId, input.string('ProviderId'));
  v.done();
  return { ...parts, webIdentityToken: webIdentityToken!, ...(providerId !== undefined && { providerId }) };
}

export function parseAssumeRoleRequest(input: StsInput): AssumeRoleRequest {
  const v = new Violations();
  const parts = sessionParts(input, v);
  const externalId = v.string(P.ExternalId, input.string('ExternalId'));
  const serialNumber = v.string(P.SerialNumber, input.string('SerialNumber'));
  const tokenCode = v.string(P.TokenCode, input.string('TokenCode'));
  const sourceIdentity = v.string(P.SourceIdentity, input.string('SourceIdentity'));
  const tags = input.structures('Tags', ['Key', 'Value'])?.map((member) => ({ key: v.string(P.TagKey, member.Key, true) ?? '', value: v.string(P.TagValue, member.Value, true) ?? '' }));
  const transitiveTagKeys = input.list('TransitiveTagKeys')?.map((key) => v.string(P.TransitiveTagKey, key) ?? '');
  if (tags) v.listLength('tags', tags.length, LIST_LIMITS.Tags);
  if (transitiveTagKeys) v.listLength('transitiveTagKeys', transitiveTagKeys.length, LIST_LIMITS.TransitiveTagKeys);
  checkTagKeys(v, tags ?? [], transitiveTagKeys ?? []);
  if ((serialNumber === undefined) !== (tokenCode === undefined)) v.add('SerialNumber and TokenCode must be given together');
  v.done();
  return {
    ...parts,
    ...(externalId !== undefined && { externalId }),
    ...(serialNumber !== undefined && { serialNumber }),
    ...(tokenCode !== undefined && { tokenCode }),
    ...(sourceIdentity !== undefined && { sourceIdentity }),
    ...(tags?.length && { tags }),
    ...(transitiveTagKeys?.length && { transitiveTagKeys }),
  };
}

/** Tag keys are case-insensitive (IAM User Guide, "Passing session tags in AWS STS"); a transitive key must name a tag of the request. */
export function checkTagKeys(v: Violations, tags: readonly SessionTag[], transitive: readonly string[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    const lower = tag.key.toLowerCase();
    if (keys.has(lower)) v.add(`Duplicate tag keys found. Please note that Tag keys are case insensitive (${tag.key})`);
    keys.add(lower);
  }
  for (const key of transitive) if (!keys.has(key.toLowerCase())) v.add(`The transitive tag key ${key} is not a session tag of this request`);
}
