// The request an enforcement point asks about, and the view of it conditions and policy variables
// read. The principal's own keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:userid, aws:username, aws:PrincipalTag/*) are derived here from `principal`, never taken from
// `context`: a caller cannot forget them, and a context value cannot impersonate them.
import type { VariableSource } from './policy-variables.ts';

export type ContextValue = string | readonly string[] | number | boolean | undefined;

export type PrincipalKind = 'Root' | 'IAMUser' | 'AssumedRole';

export interface RequestPrincipal {
  /** The caller's ARN: `…:root`, `…:user/path/name`, or `arn:aws:sts::…:assumed-role/Role/session`. */
  arn: string;
  accountId: string;
  type: PrincipalKind;
  /** aws:userid: the account id for root, AIDA… for a user, `AROA…:session` for a role session. */
  userId: string;
  /** The IAM user's name (aws:username exists only for IAM users). */
  username?: string;
  /** For role sessions: the role's IAM ARN with its path, which aws:PrincipalArn carries. Derived from the session ARN (without a path) when absent. */
  roleArn?: string;
  /** The principal's tags (for roles: role and session tags). */
  tags?: Record<string, string>;
}

export interface AuthorizationRequest {
  /** `service:Action`, e.g. `signin:CreateOAuth2Token`. */
  action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  resource: string;
  principal: RequestPrincipal;
  /**
   * Request keys: aws:SourceIp, aws:CurrentTime (ISO 8601), aws:EpochTime, aws:MultiFactorAuthPresent,
   * aws:RequestedRegion, signin:OAuthClientId, signin:OAuthRedirectUri, signin:OAuthGrantType, …
   * Names are case-insensitive. The clock is the caller's: the evaluator never reads one.
   */
  context: Record<string, ContextValue>;
}

/** aws:PrincipalType as AWS spells it. */
const PRINCIPAL_TYPE: Record<PrincipalKind, string> = { Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole' };

const PRINCIPAL_TAG = 'aws:principaltag/';

/** The request as policies read it: lowercased action, case-insensitive keys, derived keys. */
export class RequestView implements VariableSource {
  readonly action: string;
  readonly lowerAction: string;
  readonly resource: string;
  private lowerContext: Map<string, ContextValue> | undefined;
  private lowerTags: Map<string, string> | undefined;
  private principalArn: string | undefined;

  constructor(readonly request: AuthorizationRequest) {
    this.action = request.action;
    this.lowerAction = request.action.toLowerCase();
    this.resource = request.resource;
  }

  /** The value of a condition key; `lowerKey` is the key lowercased, `key` as the policy spells it. */
  get(lowerKey: string, key: string): ContextValue {
    if (lowerKey.startsWith('aws:')) {
      const derived = this.derived(lowerKey);
      if (derived !== NOT_DERIVED) return derived;
    }
    const context = this.request.context;
    const exact = Object.hasOwn(context, key) ? context[key] : undefined;
    if (exact !== undefined) return exact;
    if (!this.lowerContext) {
      this.lowerContext = new Map();
      for (const name of Object.keys(context)) {
        if (context[name] !== undefined) this.lowerContext.set(name.toLowerCase(), context[name]);
      }
    }
    return this.lowerContext.get(lowerKey);
  }

  private derived(lowerKey: string): ContextValue | typeof NOT_DERIVED {
    const principal = this.request.principal;
    switch (lowerKey) {
      case 'aws:principalarn':
        return (this.principalArn ??= principalArnOf(principal));
      case 'aws:principalaccount':
        return principal.accountId;
      case 'aws:principaltype':
        return PRINCIPAL_TYPE[principal.type];
      case 'aws:userid':
        return principal.userId;
      case 'aws:username':
        return principal.type === 'IAMUser' ? principal.username : undefined;
    }
    if (!lowerKey.startsWith(PRINCIPAL_TAG)) return NOT_DERIVED;
    if (!this.lowerTags) {
      this.lowerTags = new Map();
      for (const [name, value] of Object.entries(principal.tags ?? {})) this.lowerTags.set(name.toLowerCase(), value);
    }
    return this.lowerTags.get(lowerKey.slice(PRINCIPAL_TAG.length));
  }
}

const NOT_DERIVED = Symbol('not derived');

/** The keys derived from the principal, as AWS spells them (for explanations). */
export function derivedContext(principal: RequestPrincipal): Record<string, string> {
  const out: Record<string, string> = {
    'aws:PrincipalArn': principalArnOf(principal),
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[principal.type],
    'aws:userid': principal.userId,
  };
  if (principal.type === 'IAMUser' && principal.username !== undefined) out['aws:username'] = principal.username;
  for (const [name, value] of Object.entries(principal.tags ?? {})) out[`aws:PrincipalTag/${name}`] = value;
  return out;
}

/** aws:PrincipalArn: for a role session, the role's ARN, not the session's (IAM User Guide, aws:PrincipalArn). */
function principalArnOf(principal: RequestPrincipal): string {
  if (principal.type !== 'AssumedRole') return principal.arn;
  if (principal.roleArn !== undefined) return principal.roleArn;
  const match = /^arn:([^:]+):sts::([0-9]{12}):assumed-role\/([^/]+)\/.+$/.exec(principal.arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : principal.arn;
}
