// The authorization request the browser opens (PROTOCOL.md §1), parameters in the table's order.
import type { ClientId } from '@keyless/protocol';

export const AUTHORIZE_PATH = '/v1/authorize';

export function buildAuthorizeUrl(input: {
  baseUrl: string;
  clientId: ClientId;
  state: string;
  codeChallenge: string;
  redirectUri: string;
}): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    state: input.state,
    // AWS's spelling of RFC 7636's S256.
    code_challenge_method: 'SHA-256',
    code_challenge: input.codeChallenge,
    scope: 'openid',
    redirect_uri: input.redirectUri,
  });
  return `${input.baseUrl}${AUTHORIZE_PATH}?${query}`;
}
