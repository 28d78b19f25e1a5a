// GET /v1/authorize parameters (PROTOCOL.md §1), checked in RFC 6749 §4.1.2.1 order: until the
// client and redirect URI are known good, errors are shown as a page and never redirected.
import {
  CODE_CHALLENGE_PATTERN,
  isAllowedRedirectUri,
  isClientId,
  isPkceMethod,
  type ClientId,
  type PkceMethod,
} from '@keyless/protocol';

export interface AuthorizeRequest {
  clientId: ClientId;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  codeChallengeMethod: PkceMethod;
  scope: string;
}

export type AuthorizeProblem =
  /** Shown as an error page: the redirect target cannot be trusted. */
  | { kind: 'page'; title: string; message: string }
  /** Sent back to the client's redirect URI as `error=` and `state`. */
  | { kind: 'redirect'; redirectUri: string; clientId: ClientId; error: string; description: string; state?: string };

const PARAMS = ['response_type', 'client_id', 'state', 'code_challenge_method', 'code_challenge', 'scope', 'redirect_uri'] as const;
const STATE_PATTERN = /^[\x20-\x7e]{1,512}$/;

/** `query` maps each name to every value given for it, so a repeated parameter is caught (RFC 6749 §3.1). */
export function parseAuthorizeRequest(query: Record<string, string[]>, baseUrl: string): AuthorizeRequest | AuthorizeProblem {
  const one = (name: string) => (query[name]?.length === 1 ? query[name][0] : undefined);
  const clientId = one('client_id');
  if (!isClientId(clientId)) {
    return { kind: 'page', title: 'Unknown application', message: 'This sign-in link names an application Keyless does not know, so it cannot continue. Run the login command again.' };
  }
  const redirectUri = one('redirect_uri');
  if (!redirectUri || !isAllowedRedirectUri(clientId, redirectUri, baseUrl)) {
    return { kind: 'page', title: 'Invalid sign-in link', message: 'The address this sign-in link would return to is not allowed for this application, so Keyless will not send you there. Run the login command again.' };
  }
  const rawState = one('state');
  const state = rawState !== undefined && STATE_PATTERN.test(rawState) ? rawState : undefined;
  const refuse = (error: string, description: string): AuthorizeProblem => ({ kind: 'redirect', redirectUri, clientId, error, description, state });

  const repeated = PARAMS.find((name) => (query[name]?.length ?? 0) > 1);
  if (repeated) return refuse('invalid_request', `${repeated} is given more than once.`);
  if (!state) return refuse('invalid_request', 'state is required: 1–512 printable characters.');
  if (one('response_type') !== 'code') return refuse('unsupported_response_type', 'response_type must be code.');
  const method = one('code_challenge_method');
  if (!isPkceMethod(method)) return refuse('invalid_request', 'code_challenge_method must be SHA-256 (or S256).');
  const codeChallenge = one('code_challenge');
  if (!codeChallenge || !CODE_CHALLENGE_PATTERN.test(codeChallenge)) {
    return refuse('invalid_request', 'code_challenge must be the base64url SHA-256 of the verifier (43 characters).');
  }
  const scope = one('scope') ?? '';
  if (!scope.split(' ').includes('openid')) return refuse('invalid_scope', 'scope must include openid.');
  return { clientId, redirectUri, state, codeChallenge, codeChallengeMethod: method, scope };
}

/** The parameters as a flat record, to carry through the sign-in page and the chooser's form. */
export const authorizeParamsOf = (request: AuthorizeRequest): Record<string, string> => ({
  response_type: 'code',
  client_id: request.clientId,
  state: request.state,
  code_challenge_method: request.codeChallengeMethod,
  code_challenge: request.codeChallenge,
  scope: request.scope,
  redirect_uri: request.redirectUri,
});

/** Where the client is sent with `error=` (RFC 6749 §4.1.2.1). */
export function errorRedirectUrl(problem: Extract<AuthorizeProblem, { kind: 'redirect' }>): string {
  const url = new URL(problem.redirectUri);
  url.searchParams.set('error', problem.error);
  url.searchParams.set('error_description', problem.description);
  if (problem.state) url.searchParams.set('state', problem.state);
  return url.toString();
}
