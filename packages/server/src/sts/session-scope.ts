// What an STS role session's stored row says about its permissions, as the authorizer asks it.
import type { SessionScope } from '../iam/authorizer.ts';
import type { StsSession } from '../store/store.ts';

export function scopeOf(sts: StsSession): SessionScope {
  const scope: SessionScope = {};
  if (sts.session_policy !== null) scope.policy = sts.session_policy;
  if (sts.session_policy_arns !== null) scope.policyArns = JSON.parse(sts.session_policy_arns) as string[];
  // fromEntries: a tag named `__proto__` stays a tag.
  if (sts.tags !== null) scope.tags = Object.fromEntries(Object.entries(JSON.parse(sts.tags) as Record<string, string>));
  if (sts.transitive_tag_keys !== null) scope.transitiveTagKeys = JSON.parse(sts.transitive_tag_keys) as string[];
  if (sts.source_identity !== null) scope.sourceIdentity = sts.source_identity;
  return scope;
}
