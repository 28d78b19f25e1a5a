// The results of AssumeRole and AssumeRoleWithWebIdentity in both protocols, members in the order
// AWS's XML answers carry them. Query XML writes times as ISO 8601 (`2026-12-04T20:00:00Z`),
// JSON 1.0 as epoch seconds.
import type { AwsProtocol, AwsResult } from '../aws-api/service.ts';
import { escapeXml } from '../aws-api/service.ts';
import type { IssuedRoleSession } from './issue-role-session.ts';

export interface RoleSessionResult {
  issued: IssuedRoleSession;
  packedPolicySize?: number;
  sourceIdentity?: string;
  /** AssumeRoleWithWebIdentity only. */
  webIdentity?: { subject: string; audience: string; provider: string };
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function roleSessionResult(protocol: AwsProtocol, result: RoleSessionResult): AwsResult {
  const { issued, webIdentity } = result;
  if (protocol === 'json') {
    return {
      json: {
        Credentials: { AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey, SessionToken: issued.sessionToken, Expiration: Math.floor(issued.expiresAt / 1000) },
        ...(webIdentity && { SubjectFromWebIdentityToken: webIdentity.subject }),
        AssumedRoleUser: { AssumedRoleId: issued.assumedRoleId, Arn: issued.session.arn },
        ...(result.packedPolicySize !== undefined && { PackedPolicySize: result.packedPolicySize }),
        ...(webIdentity && { Provider: webIdentity.provider, Audience: webIdentity.audience }),
        ...(result.sourceIdentity !== undefined && { SourceIdentity: result.sourceIdentity }),
      },
    };
  }
  const lines = [
    ...(webIdentity ? [`<SubjectFromWebIdentityToken>${escapeXml(webIdentity.subject)}</SubjectFromWebIdentityToken>`, `<Audience>${escapeXml(webIdentity.audience)}</Audience>`] : []),
    '<AssumedRoleUser>',
    `  <AssumedRoleId>${escapeXml(issued.assumedRoleId)}</AssumedRoleId>`,
    `  <Arn>${escapeXml(issued.session.arn)}</Arn>`,
    '</AssumedRoleUser>',
    '<Credentials>',
    `  <AccessKeyId>${issued.accessKeyId}</AccessKeyId>`,
    `  <SecretAccessKey>${escapeXml(issued.secretAccessKey)}</SecretAccessKey>`,
    `  <SessionToken>${escapeXml(issued.sessionToken)}</SessionToken>`,
    `  <Expiration>${isoSeconds(issued.expiresAt)}</Expiration>`,
    '</Credentials>',
    ...(webIdentity ? [`<Provider>${escapeXml(webIdentity.provider)}</Provider>`] : []),
    ...(result.packedPolicySize !== undefined ? [`<PackedPolicySize>${result.packedPolicySize}</PackedPolicySize>`] : []),
    ...(result.sourceIdentity !== undefined ? [`<SourceIdentity>${escapeXml(result.sourceIdentity)}</SourceIdentity>`] : []),
  ];
  return { xml: lines.map((line) => `    ${line}\n`).join('') };
}
