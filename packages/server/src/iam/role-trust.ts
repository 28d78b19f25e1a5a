// Does a role's trust policy let this caller assume it? The policy engine compiles the trust policy
// (actions and conditions as for any policy); what only a trust policy has — the Principal — is
// matched here (IAM User Guide, "Policy evaluation logic": an explicit Deny wins, else some Allow
// must match). Two kinds of caller:
//  - a web identity (sts:AssumeRoleWithWebIdentity), admitted only by a statement naming its
//    provider's ARN under `Federated`. `Principal: "*"` does not admit one (fail closed: Keyless
//    lists roles by the provider they name), but a Deny with `"*"`, or with a NotPrincipal that
//    leaves the provider out, applies;
//  - an AWS principal (sts:AssumeRole): `"*"`, its account (`123456789012` or `…:root`), the IAM
//    user's ARN, or for a role session its role's ARN or the session's own ARN.
// Every action of the request must be allowed (sts:AssumeRole and, when the request sets them,
// sts:TagSession and sts:SetSourceIdentity, as AWS asks). Clock and source address come in
// `context`; nothing here reads one.
import type { CompiledPolicies } from './compiled-policies.ts';
import { compilePolicy, parsePolicyDocument, type CompiledPolicy, type CompiledStatement, type ContextValue, type RequestPrincipal } from './policy/index.ts';
import { RequestView } from './policy/request-context.ts';

export type TrustCaller =
  | { kind: 'federated'; providerArn: string }
  /** The names a trust policy's `AWS` principal may give the caller by. */
  | { kind: 'aws'; names: readonly string[] };

export interface TrustRequest {
  role: { arn: string; trustPolicy: string };
  caller: TrustCaller;
  /** sts:AssumeRole or sts:AssumeRoleWithWebIdentity first, then sts:TagSession / sts:SetSourceIdentity. */
  actions: readonly string[];
  /** Whose keys (aws:PrincipalArn, aws:PrincipalTag/…) the conditions read. */
  principal: RequestPrincipal;
  context: Record<string, ContextValue>;
}

export type TrustDecision = { allowed: true; sid?: string } | { allowed: false; reason: string; explicit?: boolean };

export function evaluateRoleTrust(request: TrustRequest, compiled?: CompiledPolicies): TrustDecision {
  let policy: CompiledPolicy;
  try {
    policy = compiled
      ? compiled.get('trust', request.role.trustPolicy, { kind: 'trust', role: request.role.arn })
      : compilePolicy(parsePolicyDocument(request.role.trustPolicy, { kind: 'trust', maxSize: Number.MAX_SAFE_INTEGER }), { kind: 'trust', role: request.role.arn });
  } catch (error) {
    // Fail closed: a policy that no longer parses might have held a Deny.
    return { allowed: false, reason: `The trust policy of ${request.role.arn} could not be read (${(error as Error).message}).` };
  }
  let first: CompiledStatement | undefined;
  for (const action of request.actions) {
    const view = new RequestView({ action, resource: request.role.arn, principal: request.principal, context: request.context });
    let allow: CompiledStatement | undefined;
    for (const statement of policy.statementsFor(view.lowerAction)) {
      if (!principalMatches(statement, request.caller) || !statement.matches(view)) continue;
      if (statement.effect === 'Deny') return { allowed: false, explicit: true, reason: `Explicitly denied by the trust policy of ${request.role.arn} (${action}).` };
      allow ??= statement;
    }
    if (!allow) return { allowed: false, reason: `The trust policy of ${request.role.arn} does not allow ${action} to ${describeCaller(request.caller)} with this request.` };
    first ??= allow;
  }
  return first?.sid === undefined ? { allowed: true } : { allowed: true, sid: first.sid };
}

const describeCaller = (caller: TrustCaller) => (caller.kind === 'federated' ? caller.providerArn : (caller.names[0] ?? 'the caller'));

function principalMatches(statement: CompiledStatement, caller: TrustCaller): boolean {
  const principal = statement.principal;
  if (!principal) return false;
  const named = principal.block !== '*' && namesCaller(principal.block, caller);
  if (principal.not) return statement.effect === 'Deny' && !named;
  if (principal.block === '*') return caller.kind === 'aws' || statement.effect === 'Deny';
  return named;
}

function namesCaller(block: Exclude<NonNullable<CompiledStatement['principal']>['block'], '*'>, caller: TrustCaller): boolean {
  if (caller.kind === 'federated') return (block.Federated ?? []).includes(caller.providerArn);
  const listed = block.AWS ?? [];
  return listed.includes('*') || caller.names.some((name) => listed.includes(name));
}

/**
 * The names an `AWS` principal may use for a caller: its own ARN, its account (as the id and as
 * `:root`), and for a role session the role's IAM ARN (with its path).
 */
export function awsPrincipalNames(principal: Pick<RequestPrincipal, 'arn' | 'accountId' | 'roleArn' | 'type'>): string[] {
  const names = [principal.arn, `arn:aws:iam::${principal.accountId}:root`, principal.accountId];
  if (principal.type === 'AssumedRole' && principal.roleArn) names.push(principal.roleArn);
  return names;
}
