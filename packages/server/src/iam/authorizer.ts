// The one question every enforcement point asks: may this session's principal perform this
// action on this resource? Token grants, the authorize screen, the IAM and CloudTrail APIs all
// ask it here, so the policy model lives behind one small surface.
import type { LoginSession } from '../store/store.ts';

export interface AuthorizationQuestion {
  /** The principal, as a login or console session knows it. */
  principal: Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'mfa'>;
  action: string;
  resource: string;
  /** Request condition keys: aws:SourceIp, aws:RequestedRegion, signin:OAuthClientId, … */
  context?: Record<string, string | string[] | undefined>;
}

export interface AuthorizationAnswer {
  allowed: boolean;
  /** One sentence for logs, error pages and `keyless admin simulate`. */
  reason: string;
}

export interface Authorizer {
  authorize(question: AuthorizationQuestion): Promise<AuthorizationAnswer>;
}

/**
 * AWS's answer when no policy exists anywhere: root may do anything in its own account, every
 * other principal is implicitly denied. The policy engine replaces it once policies are stored.
 */
export const noPoliciesAuthorizer: Authorizer = {
  async authorize({ principal, action }) {
    return principal.arn.endsWith(':root')
      ? { allowed: true, reason: 'The root user may perform every action in its account.' }
      : { allowed: false, reason: `No identity-based policy allows ${action}.` };
  },
};
