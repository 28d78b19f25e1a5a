// The text `keyless admin simulate` prints: the decision, the request as the policies saw it (with
// the keys derived from the principal), AWS's evaluation steps with the one that decided marked,
// and — when the decision was traced — every statement that matched.
import { describeSource, describeStatement } from './describe.ts';
import type { Decision, EvaluationStep } from './evaluate.ts';
import { derivedContext, type AuthorizationRequest, type ContextValue } from './request-context.ts';

const STEPS: ReadonlyArray<[EvaluationStep, string]> = [
  ['explicitDeny', 'An explicit Deny in any SCP, permissions boundary, session policy or identity-based policy wins.'],
  ['scps', 'Every level of the SCP path (root, OUs, account) must allow; the management account is exempt.'],
  ['permissionsBoundary', 'A permissions boundary, when set, must allow.'],
  ['sessionPolicies', 'The session policies of an STS role session, when it has any, must allow.'],
  ['root', 'The root user needs no identity-based policy.'],
  ['identityPolicies', 'An identity-based policy must allow; otherwise the request is implicitly denied.'],
];

const PRINCIPAL_KINDS = { Root: 'root user', IAMUser: 'IAM user', AssumedRole: 'role session' } as const;

export function explain(decision: Decision, request: AuthorizationRequest): string {
  const { principal } = request;
  const lines = [
    `${decision.effect}: ${decision.reason}`,
    '',
    'Request',
    `  principal  ${principal.arn} (${PRINCIPAL_KINDS[principal.type]} in account ${principal.accountId})`,
    `  action     ${request.action}`,
    `  resource   ${request.resource}`,
    '',
    'Context',
  ];
  const derived = derivedContext(principal);
  const derivedLower = new Set(Object.keys(derived).map((key) => key.toLowerCase()));
  const given = Object.entries(request.context).filter(([, value]) => value !== undefined);
  for (const [key, value] of given.sort(([a], [b]) => a.localeCompare(b))) {
    const overridden = derivedLower.has(key.toLowerCase()) || key.toLowerCase().startsWith('aws:principaltag/');
    lines.push(`  ${key} = ${shownValue(value)}${overridden ? '   (ignored: derived from the principal)' : ''}`);
  }
  for (const [key, value] of Object.entries(derived)) lines.push(`  ${key} = ${value}   (from the principal)`);
  lines.push('', 'Evaluation');
  STEPS.forEach(([step, text], index) => {
    lines.push(`  ${step === decision.step ? '→' : ' '} ${index + 1}. ${text}`);
  });
  if (decision.decidedBy) {
    const { policy, sid, statementIndex } = decision.decidedBy;
    lines.push('', `Decided by ${describeStatement(sid, statementIndex)} of ${describeSource(policy)}.`);
  }
  if (decision.matched) {
    lines.push('', decision.matched.length ? 'Matching statements' : 'No statement matched.');
    for (const match of decision.matched) {
      const where = match.role === 'permissionsBoundary' ? ' (permissions boundary)' : match.role === 'session' ? ' (session policy)' : '';
      lines.push(`  ${match.effect.padEnd(5)}  ${describeStatement(match.sid, match.statementIndex)} of ${describeSource(match.policy)}${where}`);
    }
  }
  return lines.join('\n');
}

function shownValue(value: ContextValue): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}
