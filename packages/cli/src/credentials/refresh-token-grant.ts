// The refresh_token grant (PROTOCOL.md §2): `POST {base}/v1/token` with
// `{clientId, grantType: "refresh_token", refreshToken}` and a DPoP proof signed by the session's
// own key — the refresh token is bound to that key's thumbprint. The answer rotates the refresh
// token, so the new one must be stored before anyone uses the old one again.
import { isoSeconds, type LoginCacheFile, type TokenResponse } from '@keyless/protocol';
import { importDpopKey } from '../aws-files/login-cache.ts';
import { postSignin } from '../signin/client.ts';
import { parseTokenResponse, TOKEN_PATH } from '../signin/token-response.ts';

/** Well inside the lock's 60 s staleness limit, so a slow server never gets its lock broken. */
export const REFRESH_TIMEOUT_MS = 20_000;

export async function redeemRefreshToken(input: {
  fetch: typeof fetch;
  baseUrl: string;
  cache: LoginCacheFile;
  now: Date;
  /** Named in refusal messages. */
  loginCommand: string;
}): Promise<TokenResponse> {
  const body = await postSignin({
    fetch: input.fetch,
    baseUrl: input.baseUrl,
    path: TOKEN_PATH,
    body: { clientId: input.cache.clientId, grantType: 'refresh_token', refreshToken: input.cache.refreshToken },
    dpopKey: importDpopKey(input.cache.dpopKey),
    now: input.now,
    timeoutMs: REFRESH_TIMEOUT_MS,
    loginCommand: input.loginCommand,
  });
  return parseTokenResponse(body, { requireIdToken: false });
}

/**
 * The cache file after a refresh: new credentials (their `expiresAt` counted from when the answer
 * arrived) and the rotated refresh token. Everything else — accountId, idToken, dpopKey,
 * signInRegion, and members other tools may have added — is kept, as the JS SDK keeps it.
 */
export function cacheAfterRefresh(cache: LoginCacheFile, token: TokenResponse, receivedAt: Date): LoginCacheFile {
  return {
    ...cache,
    accessToken: {
      ...cache.accessToken,
      accessKeyId: token.accessToken.accessKeyId,
      secretAccessKey: token.accessToken.secretAccessKey,
      sessionToken: token.accessToken.sessionToken,
      expiresAt: isoSeconds(new Date(receivedAt.getTime() + token.expiresIn * 1000)),
    },
    refreshToken: token.refreshToken,
  };
}
