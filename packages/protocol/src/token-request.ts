// CreateOAuth2TokenRequestBody (signin-service-2.json), validated once into a typed request.
import { isClientId, type ClientId } from './clients.ts';
import { invalidRequest, SigninError } from './errors.ts';
import { CODE_VERIFIER_PATTERN } from './pkce.ts';

export interface AuthorizationCodeRequest {
  grantType: 'authorization_code';
  clientId: ClientId;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface RefreshTokenRequest {
  grantType: 'refresh_token';
  clientId: ClientId;
  refreshToken: string;
}

export type TokenRequest = AuthorizationCodeRequest | RefreshTokenRequest;

// Form bodies use the OAuth spellings (RFC 6749 §4.1.3); JSON bodies use the model's camelCase.
const FORM_ALIASES: Record<string, string> = {
  client_id: 'clientId',
  grant_type: 'grantType',
  code_verifier: 'codeVerifier',
  redirect_uri: 'redirectUri',
  refresh_token: 'refreshToken',
};
const MEMBERS = new Set(['clientId', 'grantType', 'code', 'codeVerifier', 'redirectUri', 'refreshToken']);

function stringMember(body: Record<string, unknown>, name: string, min: number, max: number): string {
  const value = body[name];
  if (value === undefined || value === null) throw invalidRequest(`${name} is required.`);
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string.`);
  if (value.length < min || value.length > max) throw invalidRequest(`${name} must be ${min}–${max} characters long.`);
  return value;
}

/** Validates a parsed JSON or form body against the model: patterns, lengths, and per-grant requirements. */
export function parseTokenRequest(raw: unknown): TokenRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('The request body must be a JSON object.');
  const body: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(raw)) {
    const name = Object.hasOwn(FORM_ALIASES, key) ? FORM_ALIASES[key]! : key;
    if (!MEMBERS.has(name)) throw invalidRequest(`Unknown member ${JSON.stringify(key.slice(0, 64))}.`);
    if (name in body) throw invalidRequest(`${name} is given twice.`);
    body[name] = value;
  }

  const clientId = stringMember(body, 'clientId', 1, 256);
  if (!isClientId(clientId)) throw invalidRequest('clientId must match arn:aws:signin:::devtools/(cross-device|same-device).');
  const grantType = stringMember(body, 'grantType', 1, 64);

  if (grantType === 'authorization_code') {
    for (const name of ['refreshToken']) if (body[name] !== undefined) throw invalidRequest(`${name} is not allowed with grantType authorization_code.`);
    const code = stringMember(body, 'code', 1, 512);
    const codeVerifier = stringMember(body, 'codeVerifier', 43, 128);
    if (!CODE_VERIFIER_PATTERN.test(codeVerifier)) throw invalidRequest('codeVerifier must match [A-Za-z0-9-._~]{43,128}.');
    const redirectUri = stringMember(body, 'redirectUri', 1, 2048);
    return { grantType, clientId, code, codeVerifier, redirectUri };
  }
  if (grantType === 'refresh_token') {
    for (const name of ['code', 'codeVerifier', 'redirectUri']) {
      if (body[name] !== undefined) throw invalidRequest(`${name} is not allowed with grantType refresh_token.`);
    }
    const refreshToken = stringMember(body, 'refreshToken', 1, 2048);
    return { grantType, clientId, refreshToken };
  }
  throw new SigninError('ValidationException', 'INVALID_REQUEST', 'grantType must be authorization_code or refresh_token.');
}

/** CreateOAuth2TokenResponseBody. `idToken` only on code redemption. */
export interface TokenResponse {
  accessToken: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  tokenType: 'aws_sigv4';
  expiresIn: number;
  refreshToken: string;
  idToken?: string;
}
