// The revocation request (`keyless logout`, POST /v1/revoke: RFC 7009 §2.1 in the model's
// RevokeOAuth2Token shape), validated once into a typed request beside parseTokenRequest. The
// token may be named as the model names it (refreshToken) or as RFC 7009 and form bodies do
// (token, refresh_token); the client as clientId or client_id.
import { isClientId, type ClientId } from './clients.ts';
import { invalidRequest } from './errors.ts';

export interface RevokeRequest {
  clientId: ClientId;
  refreshToken: string;
}

export function parseRevokeRequest(raw: unknown): RevokeRequest {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const refreshToken = body.refreshToken ?? body.token ?? body.refresh_token;
  const clientId = body.clientId ?? body.client_id;
  if (typeof refreshToken !== 'string' || refreshToken.length < 1 || refreshToken.length > 4096) throw invalidRequest('refreshToken is required.');
  if (!isClientId(clientId)) throw invalidRequest('clientId must match arn:aws:signin:::devtools/(cross-device|same-device).');
  return { clientId, refreshToken };
}
