// An STS role session's session policies joined to its role's policy set (IAM User Guide,
// "Session policies"): the managed ones were loaded with the role's policies (their ARNs are part
// of the cached set's key); the inline one is compiled here, from the compiled-policy cache, so a
// session's document is parsed once however many requests it signs.
import type { AuthorizationQuestion } from './authorizer.ts';
import type { CompiledPolicies } from './compiled-policies.ts';
import type { PolicySet } from './policy/index.ts';

export function withSessionScope(set: PolicySet, question: Pick<AuthorizationQuestion, 'scope' | 'principal'>, compiled: CompiledPolicies): PolicySet {
  const scope = question.scope;
  if (!scope || (scope.policy === undefined && !scope.policyArns?.length)) return set;
  const managed = set.sessionPolicies ?? [];
  if (scope.policy === undefined) return { ...set, sessionPolicies: managed };
  const inline = compiled.get('identity', scope.policy, { kind: 'session', session: question.principal.arn });
  return { ...set, sessionPolicies: [...managed, inline] };
}
