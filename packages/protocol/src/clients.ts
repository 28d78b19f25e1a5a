// The two public clients of `aws login` (PROTOCOL.md §1) and the redirect URIs each may use.

export const SAME_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
export const CROSS_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/cross-device';
export type ClientId = typeof SAME_DEVICE_CLIENT_ID | typeof CROSS_DEVICE_CLIENT_ID;

export const CONFIRMATION_PATH = '/v1/sessions/confirmation';
export const CALLBACK_PATH = '/oauth/callback';

export function isClientId(value: unknown): value is ClientId {
  return value === SAME_DEVICE_CLIENT_ID || value === CROSS_DEVICE_CLIENT_ID;
}

/** The signin resource a client's token is for: `oauth2/public-client/localhost` or `…/remote`. */
export function clientResourceSuffix(clientId: ClientId): 'localhost' | 'remote' {
  return clientId === SAME_DEVICE_CLIENT_ID ? 'localhost' : 'remote';
}

/**
 * Whether `redirectUri` is allowed for `clientId`.
 * Same-device: a loopback IP literal with any port and exactly `/oauth/callback` (RFC 8252 §7.3
 * wants any port on the loopback *IP*; `localhost` is excluded per §8.3). Cross-device: exactly
 * `{base}/v1/sessions/confirmation` of this server.
 */
export function isAllowedRedirectUri(clientId: ClientId, redirectUri: string, baseUrl: string): boolean {
  if (redirectUri.length > 2048) return false;
  if (clientId === CROSS_DEVICE_CLIENT_ID) return redirectUri === `${baseUrl}${CONFIRMATION_PATH}`;
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  // Compare against a re-serialisation so that userinfo, fragments, queries, or odd spellings
  // (`http://127.0.0.1:080/…`, `…/oauth/callback/../x`) never pass.
  const canonical = `http://${url.hostname}${url.port ? `:${url.port}` : ''}${CALLBACK_PATH}`;
  return url.protocol === 'http:' && loopback && redirectUri === canonical;
}
