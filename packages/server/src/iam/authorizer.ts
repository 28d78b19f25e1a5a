// The one question every enforcement point asks: may this session's principal perform this
// action on this resource? Token grants, the authorize screen, the IAM and CloudTrail APIs all
// ask it here, so the policy model lives behind one small surface.
import type { LoginSession, Repos } from '../store/store.ts';

/**
 * What an STS role session adds to its role's permissions (issue 16): session policies that limit
 * them, session tags (aws:PrincipalTag, over the role's own tags), and its source identity.
 */
export interface SessionScope {
  /** The inline session policy, as validated when the session began. */
  policy?: string;
  /** Managed policies passed as session policies. */
  policyArns?: readonly string[];
  tags?: Readonly<Record<string, string>>;
  /** The tag keys that pass on when this session assumes another role (role chaining). */
  transitiveTagKeys?: readonly string[];
  sourceIdentity?: string;
}

export interface AuthorizationQuestion {
  /** The principal, as a login or console session knows it. */
  principal: Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'mfa'>;
  /** The session's own limits and tags, for an STS role session. */
  scope?: SessionScope;
  /** aws:TokenIssueTime: when the caller's temporary credentials were issued (epoch ms). */
  tokenIssuedAt?: number;
  action: string;
  resource: string;
  /** Request condition keys: aws:SourceIp, aws:RequestedRegion, signin:OAuthClientId, … */
  context?: Record<string, string | string[] | undefined>;
}

export interface AuthorizationAnswer {
  allowed: boolean;
  /** One sentence for logs, error pages and `keyless admin simulate`. */
  reason: string;
  /** AWS's three outcomes, when a policy evaluation decided. */
  effect?: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
}

/** What a decision reads: the principal, its role, tags and groups, its organization, the policy generations (policies themselves through those), and an STS session's managed session policies. */
export type AuthorizerRepos = Pick<Repos, 'directory' | 'iamRoles' | 'iamTags' | 'iamGroups' | 'iamPolicies' | 'organizations' | 'policyState'>;

export interface Authorizer {
  /**
   * `repos`: the transaction the caller is in, so the decision reads what it will commit beside
   * (and, on SQLite, so the read does not wait for the connection that transaction holds); the
   * store's own only where the caller is in none.
   */
  authorize(question: AuthorizationQuestion, repos: AuthorizerRepos): Promise<AuthorizationAnswer>;
}

/**
 * AWS's answer when no policy exists anywhere: root may do anything in its own account, every
 * other principal is implicitly denied. Kept for tests of code that needs an Authorizer but no
 * store; the service uses the policy authorizer (policy-authorizer.ts).
 */
export const noPoliciesAuthorizer: Authorizer = {
  async authorize({ principal, action }) {
    return principal.arn.endsWith(':root')
      ? { allowed: true, reason: 'The root user may perform every action in its account.' }
      : { allowed: false, reason: `No identity-based policy allows ${action}.` };
  },
};

/**
 * Allows everything without asking: only for the refresh benchmark's A/B of what policy
 * evaluation costs (KEYLESS_BENCHMARK_WITHOUT=policies, which config.ts refuses off loopback).
 */
const allowAllForBenchmarkAuthorizer: Authorizer = {
  async authorize() {
    return { allowed: true, reason: 'Policy evaluation is switched off for a benchmark (KEYLESS_BENCHMARK_WITHOUT=policies).' };
  },
};

/** `real` while `off()` says no, allow-all while it says yes (always, or every other window: KEYLESS_BENCHMARK_ALTERNATE_MS). */
export const benchmarkAuthorizer = (real: Authorizer, off: () => boolean): Authorizer => ({
  authorize: (question, repos) => (off() ? allowAllForBenchmarkAuthorizer : real).authorize(question, repos),
});
