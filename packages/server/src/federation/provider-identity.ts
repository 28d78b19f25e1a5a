// How IAM names an OpenID provider and the people it vouches for, the AWS way (IAM User Guide,
// "Create an OpenID Connect (OIDC) identity provider in IAM" and "Available keys for AWS OIDC
// federation"): the provider is `arn:aws:iam::{account}:oidc-provider/{issuer without https://}`,
// its claims are the condition keys `{issuer without https://}:{claim}`, and the role session is
// named after the person. Pure: no I/O.
import type { ContextValue } from '../iam/policy/index.ts';

/** Why an issuer URL is not accepted. */
export class IssuerError extends Error {
  readonly code = 'InvalidIssuer';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The issuer as it must appear in ID tokens, and its `path` (host, port and path, no scheme, no
 * trailing slash). HTTPS only (OpenID Connect Discovery §3), except on a loopback address, where
 * a test or a local identity provider runs.
 */
export function parseIssuer(text: string): { issuer: string; path: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new IssuerError(`${JSON.stringify(text)} is not a URL; give the issuer, e.g. https://sso.example.com`);
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new IssuerError(`The issuer must be an https:// URL (http:// only on a loopback address), not ${text}`);
  if (url.search || url.hash || url.username || url.password) throw new IssuerError(`The issuer must have no query, fragment or credentials: ${text}`);
  const issuer = text.replace(/\/+$/, '');
  return { issuer, path: `${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

export const oidcProviderArn = (accountId: string, path: string) => `arn:aws:iam::${accountId}:oidc-provider/${path}`;

export type Claims = Readonly<Record<string, unknown>>;

/** A claim name that can follow `{path}:` in a condition key (the IAM condition key grammar). */
const CLAIM_NAME = /^[A-Za-z0-9_.+=@-]+$/;

export type ConditionClaims = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** The claims a condition can read: strings, numbers, booleans and lists of strings, nothing nested. */
export function conditionClaims(claims: Claims): ConditionClaims {
  const kept: Array<[string, string | number | boolean | string[]]> = [];
  for (const [name, value] of Object.entries(claims)) {
    if (!CLAIM_NAME.test(name)) continue;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) kept.push([name, value]);
    else if (Array.isArray(value)) kept.push([name, value.filter((item): item is string => typeof item === 'string')]);
  }
  // fromEntries defines each claim as an own property: a claim named `__proto__` stays a claim.
  return Object.fromEntries(kept);
}

/**
 * The request context of AssumeRoleWithWebIdentity: each claim as `{path}:{claim}` (`sub`, `aud`,
 * `email`, `amr`, a `groups` claim, …), and `aws:FederatedProvider`, the provider's ARN.
 */
export function webIdentityContext(path: string, providerArn: string, claims: ConditionClaims): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = { 'aws:FederatedProvider': providerArn };
  for (const [name, value] of Object.entries(claims)) context[`${path}:${name}`] = value;
  return context;
}

/**
 * The role session name (STS RoleSessionName: 2–64 characters of `[\w+=,.@-]`): the e-mail
 * address when the token has one, else `sub`, every other character replaced by `-`.
 */
export function roleSessionName(claims: Claims): string {
  const source = typeof claims.email === 'string' && claims.email !== '' ? claims.email : String(claims.sub ?? '');
  const name = source.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : name.padEnd(2, '-');
}

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) => `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
