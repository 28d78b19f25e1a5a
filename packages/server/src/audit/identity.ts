// CloudTrail `userIdentity` for the principals Keyless signs in (the shapes of cloudtrail-samples/).
import { iso } from '../store/audit-record-codec.ts';

export interface SessionPrincipal {
  principalId: string;
  accountId: string;
  arn: string;
  /** When the console session began (ms), and whether MFA was used: CloudTrail's sessionContext. */
  sessionCreatedAt?: number;
  mfa?: boolean;
  /** A role session begun by a web identity (federated sign-in): its provider's ARN, CloudTrail's webIdFederationData. */
  federatedProvider?: string;
}

/** The principal of a console or login session, as its events name it. */
export const sessionActor = (session: { principal_id: string; account_id: string; arn: string; created_at: number; mfa: number }): SessionPrincipal => ({
  principalId: session.principal_id,
  accountId: session.account_id,
  arn: session.arn,
  sessionCreatedAt: session.created_at,
  mfa: session.mfa === 1,
});

/**
 * The operator at the server (`keyless admin`, first-start bootstrap): not an AWS principal of any
 * account, so CloudTrail's shape for a change made by the service itself fits — type AWSService,
 * `invokedBy` naming the tool. The name has a space, so it can never be an IAM user's.
 */
export interface Operator {
  operator: string;
}

export const KEYLESS_ADMIN: Operator = { operator: 'keyless admin' };

/**
 * Someone an OpenID provider vouched for who got no session (a refused federated sign-in):
 * CloudTrail's WebIdentityUser, in the provider's account. `subject` and `audience` only from an
 * ID token that verified; without them the record names the provider and nobody else.
 */
export interface WebIdentity {
  webIdentity: { provider: string; accountId: string; audience?: string; subject?: string };
}

export type Actor = SessionPrincipal | Operator | WebIdentity;

export const isOperator = (actor: Actor): actor is Operator => 'operator' in actor;
export const isWebIdentity = (actor: Actor): actor is WebIdentity => 'webIdentity' in actor;

export type UserIdentity = Record<string, unknown> & { type: string };

export function userIdentityOf(actor: Actor, accessKeyId?: string): UserIdentity {
  if (isOperator(actor)) return { type: 'AWSService', invokedBy: actor.operator };
  if (isWebIdentity(actor)) {
    // CloudTrail's WebIdentityUser of an IAM OIDC provider: principalId `{provider}:{aud}:{sub}`, userName the sub.
    const { provider, audience, subject } = actor.webIdentity;
    if (subject === undefined) return { type: 'WebIdentityUser', identityProvider: provider };
    return { type: 'WebIdentityUser', principalId: `${provider}:${audience ?? ''}:${subject}`, userName: subject, identityProvider: provider };
  }
  const p = actor;
  const sessionContext =
    p.sessionCreatedAt === undefined ? undefined : { attributes: { creationDate: iso(p.sessionCreatedAt), mfaAuthenticated: String(Boolean(p.mfa)) } };
  const key = accessKeyId ? { accessKeyId } : {};
  if (p.arn.endsWith(':root')) {
    return { type: 'Root', principalId: p.accountId, arn: p.arn, accountId: p.accountId, ...key, ...(sessionContext && { sessionContext }) };
  }
  const user = /^arn:aws:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(p.arn);
  if (user) {
    return { type: 'IAMUser', principalId: p.principalId, arn: p.arn, accountId: p.accountId, ...key, userName: user[1], ...(sessionContext && { sessionContext }) };
  }
  const role = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(p.arn);
  if (role) {
    // CloudTrail's principalId of a role session is `AROA…:{session name}`; sessions store the role's id alone.
    const roleId = p.principalId.split(':')[0]!;
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${role[3]}`,
      arn: p.arn,
      accountId: p.accountId,
      ...key,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${role[1]}:role/${role[2]}`, accountId: p.accountId, userName: role[2] },
        ...(p.federatedProvider !== undefined && { webIdFederationData: { federatedProvider: p.federatedProvider, attributes: {} } }),
        attributes: sessionContext?.attributes ?? { creationDate: iso(0), mfaAuthenticated: 'false' },
      },
    };
  }
  return { type: 'Unknown', principalId: p.principalId, arn: p.arn, accountId: p.accountId };
}

/**
 * The name LookupEvents' `Username` attribute matches: the user name, "root", the role session
 * name, the operator tool, a web identity's subject; null for a web identity nobody is named for.
 */
export function usernameOf(actor: Actor | string): string | null {
  if (typeof actor !== 'string' && isOperator(actor)) return actor.operator;
  if (typeof actor !== 'string' && isWebIdentity(actor)) return actor.webIdentity.subject ?? null;
  const arn = typeof actor === 'string' ? actor : actor.arn;
  if (arn.endsWith(':root')) return 'root';
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `userIdentity` as JSON around the place its accessKeyId goes (none: the shape never names a key). */
interface UserIdentityJson {
  before: string;
  after: string;
  keyed: boolean;
}

// The key's value is unknown when the fragments are made: a marker stands in for it. Its JSON
// (`"accessKeyId":"\u0000…"`, quotes unescaped) can only be the member itself: any quote inside
// an ARN or id is escaped in JSON text.
const KEY_MARKER = '\u0000access-key-id\u0000';
const KEY_MEMBER = `,"accessKeyId":${JSON.stringify(KEY_MARKER)}`;

function userIdentityFragments(actor: Actor): UserIdentityJson {
  const json = JSON.stringify(userIdentityOf(actor, KEY_MARKER));
  const at = json.indexOf(KEY_MEMBER);
  if (at < 0) return { before: json, after: '', keyed: false };
  return { before: json.slice(0, at), after: json.slice(at + KEY_MEMBER.length), keyed: true };
}

/**
 * A session's userIdentity is the same in every event it causes but for the key: serialised once
 * per session and kept (its fields are ids and ARNs, no secret), bounded like the statement cache.
 */
const FRAGMENT_CACHE_LIMIT = 1024;
const fragmentCache = new Map<string, UserIdentityJson>();

function cachedFragments(p: SessionPrincipal): UserIdentityJson {
  // Every input userIdentityOf reads of a session principal, none two of them alike: String keeps
  // undefined, NaN and numbers apart (JSON would write null for the first two), the array an
  // absent provider from any value of one.
  const provider = p.federatedProvider === undefined ? [] : [p.federatedProvider];
  const cacheKey = JSON.stringify([p.principalId, p.accountId, p.arn, String(p.sessionCreatedAt), Boolean(p.mfa), provider]);
  let fragments = fragmentCache.get(cacheKey);
  if (!fragments) {
    if (fragmentCache.size >= FRAGMENT_CACHE_LIMIT) fragmentCache.delete(fragmentCache.keys().next().value as string);
    fragments = userIdentityFragments(p);
    fragmentCache.set(cacheKey, fragments);
  }
  return fragments;
}

/** `JSON.stringify(userIdentityOf(actor, accessKeyId))`, byte for byte, without rebuilding it per event. */
export function userIdentityJson(actor: Actor, accessKeyId?: string): string {
  const f = isOperator(actor) || isWebIdentity(actor) ? userIdentityFragments(actor) : cachedFragments(actor);
  return accessKeyId && f.keyed ? `${f.before},"accessKeyId":${JSON.stringify(accessKeyId)}${f.after}` : f.before + f.after;
}
