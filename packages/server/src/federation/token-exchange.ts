// The code for tokens at the provider's token endpoint (RFC 6749 §4.1.3 with RFC 7636 §4.5): the
// PKCE verifier, the redirect URI the request named, and the client authenticated with
// client_secret_basic (§2.3.1: id and secret form-encoded, then Basic). Only the ID token is used.
import { FederationError } from './errors.ts';
import { unreachable } from './discovery.ts';

export interface CodeExchange {
  tokenEndpoint: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export async function exchangeCode(deps: { fetch: typeof fetch; timeoutMs: number }, exchange: CodeExchange): Promise<string> {
  const basic = Buffer.from(`${formEncode(exchange.clientId)}:${formEncode(exchange.clientSecret)}`).toString('base64');
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier });
  let response: Response;
  let answer: Record<string, unknown>;
  try {
    response = await deps.fetch(exchange.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
    answer = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw unreachable(exchange.issuer, `token endpoint: ${(error as Error).message}`);
  }
  if (!response.ok) {
    // RFC 6749 §5.2: `error` is a registered code; it is safe to log, the description is not shown.
    const code = typeof answer.error === 'string' ? answer.error.slice(0, 64) : `HTTP ${response.status}`;
    throw new FederationError('CodeExchangeFailed', 'The sign-in could not be completed', 'The identity provider did not accept the sign-in. Start again from the Keyless sign-in page.', `token endpoint refused: ${code}`);
  }
  if (typeof answer.id_token !== 'string') {
    throw new FederationError('CodeExchangeFailed', 'The sign-in could not be completed', 'The identity provider sent no ID token. Tell your administrator that the provider must allow the openid scope.', 'token response without id_token');
  }
  return answer.id_token;
}
