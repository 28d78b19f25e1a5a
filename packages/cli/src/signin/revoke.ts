// Refresh-token revocation: `POST {base}/v1/revoke` with `{"clientId","refreshToken"}` and a DPoP
// proof from the session's key. RFC 7009 §2.2: the server answers 200 for unknown tokens too, so
// any 2xx means "this refresh token no longer works".
import type { KeyObject } from 'node:crypto';
import { postSignin } from './client.ts';

export const REVOKE_PATH = '/v1/revoke';

export async function revokeRefreshToken(input: {
  fetch: typeof fetch;
  baseUrl: string;
  clientId: string;
  refreshToken: string;
  dpopKey: KeyObject;
  now: Date;
  timeoutMs?: number;
}): Promise<void> {
  await postSignin({
    fetch: input.fetch,
    baseUrl: input.baseUrl,
    path: REVOKE_PATH,
    body: { clientId: input.clientId, refreshToken: input.refreshToken },
    dpopKey: input.dpopKey,
    now: input.now,
    timeoutMs: input.timeoutMs ?? 10_000,
  });
}
