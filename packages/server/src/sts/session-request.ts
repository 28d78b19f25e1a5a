// What AssumeRole and AssumeRoleWithWebIdentity share about the session asked for: how long it
// may last, which actions the trust policy must allow, and the request-tag condition keys. Pure.
import type { ContextValue } from '../iam/policy/index.ts';
import { stsError } from './errors.ts';
import { DURATION } from './parameters.ts';
import type { SessionRequestParameters } from '../audit/events/sts-role-session.ts';
import type { RoleSessionRequest, SessionTag } from './requests.ts';

/** Role chaining (a role session assuming a role) is limited to one hour (IAM User Guide, "Role chaining"). */
export const CHAINED_SESSION_MAX_SECONDS = 3600;

export function sessionDuration(requested: number | undefined, roleMax: number, limit: number, chained = false): number {
  const seconds = requested ?? DURATION.default;
  if (chained && seconds > CHAINED_SESSION_MAX_SECONDS) {
    throw stsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > Math.min(roleMax, limit)) throw stsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return seconds;
}

/** The action itself, and sts:TagSession / sts:SetSourceIdentity when the session gets tags or a source identity. */
export function sessionActions(action: string, facts: { tags?: readonly SessionTag[]; sourceIdentity?: string }): string[] {
  return [action, ...(facts.tags?.length ? ['sts:TagSession'] : []), ...(facts.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
}

/** aws:RequestTag/{key}, aws:TagKeys and sts:TransitiveTagKeys of the tags a session is given. */
export function requestTagContext(tags: readonly SessionTag[] | undefined, transitive: readonly string[] | undefined): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = Object.create(null);
  if (tags?.length) {
    for (const tag of tags) context[`aws:RequestTag/${tag.key}`] = tag.value;
    context['aws:TagKeys'] = tags.map((t) => t.key);
  }
  if (transitive?.length) context['sts:TransitiveTagKeys'] = [...transitive];
  return context;
}

/** The parameters both operations' CloudTrail records carry, as the request gave them. */
export const recordedParameters = (request: RoleSessionRequest): SessionRequestParameters => ({
  roleArn: request.roleArn,
  roleSessionName: request.roleSessionName,
  ...(request.durationSeconds !== undefined && { durationSeconds: request.durationSeconds }),
  ...(request.policy !== undefined && { policy: request.policy }),
  ...(request.policyArns && { policyArns: request.policyArns }),
});

/** The session policies a grant carries, as the request gave them. */
export const sessionPoliciesOf = (request: RoleSessionRequest): { policy?: string; policyArns?: readonly string[] } => ({
  ...(request.policy !== undefined && { policy: request.policy }),
  ...(request.policyArns && { policyArns: request.policyArns }),
});
