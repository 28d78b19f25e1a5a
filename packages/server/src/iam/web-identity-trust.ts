// Does a role's trust policy let a web identity assume it (sts:AssumeRoleWithWebIdentity)? The
// console's federated sign-in asks this of every role naming its provider; role-trust.ts holds the
// evaluation shared with STS.
import type { ContextValue, RequestPrincipal } from './policy/index.ts';
import { evaluateRoleTrust, type TrustDecision } from './role-trust.ts';

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

export type { TrustDecision };

export function evaluateWebIdentityTrust(request: WebIdentityRequest): TrustDecision {
  return evaluateRoleTrust({
    role: request.role,
    caller: { kind: 'federated', providerArn: request.providerArn },
    actions: [ASSUME_ROLE_WITH_WEB_IDENTITY],
    principal: request.session,
    context: request.context,
  });
}
