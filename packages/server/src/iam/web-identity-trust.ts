// Does a role's trust policy let a web identity assume it (sts:AssumeRoleWithWebIdentity)? The
// policy engine compiles the trust policy (actions and conditions as for any policy); what only a
// trust policy has — the Principal — is matched here (IAM User Guide, "Policy evaluation logic":
// an explicit Deny wins, else some Allow must match).
//
// A web identity is admitted only by a statement naming its provider's ARN under `Federated`.
// `Principal: "*"` does not admit one (fail closed: Keyless lists roles by the provider they
// name), but a Deny with `"*"`, or with a NotPrincipal that leaves the provider out, applies.
// The clock and the source address come in `context`; nothing here reads one.
import { compilePolicy, parsePolicyDocument, type CompiledStatement, type ContextValue, type RequestPrincipal } from './policy/index.ts';
import { RequestView } from './policy/request-context.ts';

export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

export interface WebIdentityRequest {
  /** The role's ARN (`arn:aws:iam::…:role/path/Name`) and its trust policy as stored. */
  role: { arn: string; trustPolicy: string };
  /** `arn:aws:iam::…:oidc-provider/{path}`. */
  providerArn: string;
  /** The session that would begin: its aws:userid and ARN are what the policy's keys read. */
  session: RequestPrincipal;
  /** `{path}:sub`, `{path}:email`, …, aws:FederatedProvider, aws:CurrentTime, aws:SourceIp, … */
  context: Record<string, ContextValue>;
}

export type TrustDecision = { allowed: true; sid?: string } | { allowed: false; reason: string };

export function evaluateWebIdentityTrust(request: WebIdentityRequest): TrustDecision {
  let compiled;
  try {
    compiled = compilePolicy(parsePolicyDocument(request.role.trustPolicy, { kind: 'trust' }), { kind: 'trust', role: request.role.arn });
  } catch (error) {
    // Fail closed: a policy that no longer parses might have held a Deny.
    return { allowed: false, reason: `The trust policy of ${request.role.arn} could not be read (${(error as Error).message}).` };
  }
  const view = new RequestView({ action: ASSUME_ROLE_WITH_WEB_IDENTITY, resource: request.role.arn, principal: request.session, context: request.context });
  let allow: CompiledStatement | undefined;
  for (const statement of compiled.statementsFor(view.lowerAction)) {
    if (!principalMatches(statement, request.providerArn) || !statement.matches(view)) continue;
    if (statement.effect === 'Deny') return { allowed: false, reason: `Explicitly denied by the trust policy of ${request.role.arn}.` };
    allow ??= statement;
  }
  if (!allow) return { allowed: false, reason: `The trust policy of ${request.role.arn} does not allow ${request.providerArn} to assume it with these claims.` };
  return allow.sid === undefined ? { allowed: true } : { allowed: true, sid: allow.sid };
}

function principalMatches(statement: CompiledStatement, providerArn: string): boolean {
  const principal = statement.principal;
  if (!principal) return false;
  const named = principal.block !== '*' && (principal.block.Federated ?? []).includes(providerArn);
  if (principal.not) return statement.effect === 'Deny' && !named;
  return named || (principal.block === '*' && statement.effect === 'Deny');
}
