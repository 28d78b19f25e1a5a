// POST /v1/token, as the list of its steps: parse the body, verify the DPoP proof, run the grant.
import { parseTokenRequest, verifyDpopProof, type TokenResponse } from '@keyless/protocol';
import type { RequestContext } from '../request-context.ts';
import type { TokenDeps } from './deps.ts';
import { redeemAuthorizationCode } from './grants/authorization-code.ts';
import { refreshTokens } from './grants/refresh-token.ts';

export async function createOAuth2Token(
  deps: TokenDeps,
  input: { body: unknown; dpop: string | string[] | undefined; context: RequestContext },
): Promise<TokenResponse> {
  const request = parseTokenRequest(input.body);
  const proof = verifyDpopProof(input.dpop, { htm: 'POST', htu: deps.tokenUrls, now: deps.clock.now() / 1000 });
  return request.grantType === 'authorization_code'
    ? redeemAuthorizationCode(deps, request, proof, input.context)
    : refreshTokens(deps, request, proof, input.context);
}
