// Code redemption: `POST {base}/v1/token` with the authorization_code grant, the PKCE verifier,
// and a DPoP proof from the login's new key (PROTOCOL.md §2). The key then signs every refresh.
import type { KeyObject } from 'node:crypto';
import type { ClientId, TokenResponse } from '@keyless/protocol';
import { postSignin } from '../signin/client.ts';
import { parseTokenResponse, TOKEN_PATH } from '../signin/token-response.ts';

export async function redeemAuthorizationCode(input: {
  fetch: typeof fetch;
  baseUrl: string;
  clientId: ClientId;
  code: string;
  codeVerifier: string;
  redirectUri: string;
  dpopKey: KeyObject;
  now: Date;
}): Promise<TokenResponse> {
  const body = await postSignin({
    fetch: input.fetch,
    baseUrl: input.baseUrl,
    path: TOKEN_PATH,
    // The JSON body *is* CreateOAuth2TokenRequestBody, camelCase, no wrapper.
    body: {
      clientId: input.clientId,
      grantType: 'authorization_code',
      code: input.code,
      codeVerifier: input.codeVerifier,
      redirectUri: input.redirectUri,
    },
    dpopKey: input.dpopKey,
    now: input.now,
  });
  return parseTokenResponse(body, { requireIdToken: true });
}
