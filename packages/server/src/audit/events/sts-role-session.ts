// CloudTrail's AssumeRole and AssumeRoleWithWebIdentity (eventSource sts.amazonaws.com, readOnly,
// the role as the event's resource), as AWS records them: who asked — the calling principal with
// the key it signed with, or the WebIdentityUser the token named — the request's parameters, and
// the session it got. Never the web identity token, the secret key or the session token: the
// credentials are named by their key id and expiry alone.
import type { RequestContext } from '../../request-context.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import type { SessionPrincipal } from '../identity.ts';
import { iamDate } from '../iam-events.ts';

export const STS_SOURCE = 'sts.amazonaws.com';

/** The request's session parameters as CloudTrail names them (camelCase, lists of objects). */
export interface SessionRequestParameters {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: readonly string[];
  tags?: readonly { key: string; value: string }[];
  transitiveTagKeys?: readonly string[];
  sourceIdentity?: string;
  externalId?: string;
  serialNumber?: string;
}

/** The session STS gave. */
export interface IssuedSessionFacts {
  accessKeyId: string;
  expiresAt: number;
  assumedRoleId: string;
  arn: string;
  packedPolicySize?: number;
  sourceIdentity?: string;
}

interface Common {
  region: string;
  context: RequestContext;
  now: number;
  request: SessionRequestParameters;
  issued: IssuedSessionFacts;
  roleAccountId: string;
}

function requestParameters(request: SessionRequestParameters): Record<string, unknown> {
  const { policyArns, tags, ...rest } = request;
  return {
    ...rest,
    ...(policyArns && { policyArns: policyArns.map((arn) => ({ arn })) }),
    ...(tags && { tags: tags.map((t) => ({ key: t.key, value: t.value })) }),
  };
}

function responseElements(issued: IssuedSessionFacts, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    credentials: { accessKeyId: issued.accessKeyId, expiration: iamDate(issued.expiresAt) },
    assumedRoleUser: { assumedRoleId: issued.assumedRoleId, arn: issued.arn },
    ...more,
    ...(issued.packedPolicySize !== undefined && { packedPolicySize: issued.packedPolicySize }),
    ...(issued.sourceIdentity !== undefined && { sourceIdentity: issued.sourceIdentity }),
  };
}

const roleResource = (arn: string) => [{ type: 'AWS::IAM::Role', name: arn }];

/** AssumeRole, by a signed-in principal with the key it signed with. */
export function assumeRoleEvent(facts: Common & { caller: SessionPrincipal; callerAccessKeyId: string }): AuditEvent {
  return {
    eventName: 'AssumeRole',
    eventSource: STS_SOURCE,
    readOnly: true,
    principal: facts.caller,
    recipientAccountId: facts.roleAccountId,
    region: facts.region,
    context: facts.context,
    accessKeyId: facts.callerAccessKeyId,
    eventTime: facts.now,
    requestParameters: requestParameters(facts.request),
    responseElements: responseElements(facts.issued),
    success: true,
    resources: roleResource(facts.request.roleArn),
  };
}

/**
 * AssumeRoleWithWebIdentity, by the WebIdentityUser the token named. The journal's key column
 * holds the issued key (userIdentity has none), so a lookup by that key finds the event that issued it.
 */
export function assumeRoleWithWebIdentityEvent(facts: Common & { providerArn: string; issuer: string; subject: string; audience: string }): AuditEvent {
  return {
    eventName: 'AssumeRoleWithWebIdentity',
    eventSource: STS_SOURCE,
    readOnly: true,
    principal: { webIdentity: { provider: facts.providerArn, accountId: facts.roleAccountId, audience: facts.audience, subject: facts.subject } },
    recipientAccountId: facts.roleAccountId,
    region: facts.region,
    context: facts.context,
    accessKeyId: facts.issued.accessKeyId,
    eventTime: facts.now,
    requestParameters: requestParameters(facts.request),
    responseElements: responseElements(facts.issued, { subjectFromWebIdentityToken: facts.subject, audience: facts.audience, provider: facts.issuer }),
    success: true,
    resources: roleResource(facts.request.roleArn),
  };
}

/** A refused AssumeRole, as CloudTrail records one: the caller, what it asked for, the error; no response. */
export function assumeRoleRefusedEvent(facts: { region: string; context: RequestContext; now: number; caller: SessionPrincipal; callerAccessKeyId: string; roleArn: string; roleSessionName?: string; errorCode: string; errorMessage: string }): AuditEvent {
  return {
    eventName: 'AssumeRole',
    eventSource: STS_SOURCE,
    readOnly: true,
    principal: facts.caller,
    region: facts.region,
    context: facts.context,
    accessKeyId: facts.callerAccessKeyId,
    eventTime: facts.now,
    requestParameters: { roleArn: facts.roleArn, ...(facts.roleSessionName !== undefined && { roleSessionName: facts.roleSessionName }) },
    responseElements: null,
    success: false,
    errorCode: facts.errorCode,
    errorMessage: facts.errorMessage,
  };
}
