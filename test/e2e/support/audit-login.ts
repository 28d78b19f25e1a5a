// Logins over plain HTTP for the audit suites: the console sign-in of a browser, then per login
// GET /v1/authorize → the chooser's Continue → POST /v1/token with a DPoP proof, and refreshes.
// Every request is bounded (REQUEST_TIMEOUT_MS): a server that does not answer fails the test
// with the request it did not answer, instead of leaving it waiting for the test's own deadline.
import assert from 'node:assert/strict';
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createDpopProof, newDpopKey } from '@keyless/protocol';

export const CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
const REDIRECT_URI = 'http://127.0.0.1:53037/oauth/callback';

export interface Client {
  key: KeyObject;
  refreshToken: string;
  /** Every accessKeyId this client got in a 200 answer. */
  received: string[];
  /** The credentials of the last answer. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** Far longer than any answer takes on a loaded machine; a request still open then never ends. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  /** Ends the request early: `refresh()` then answers false, as for a server that is gone. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

const bounded = (options: RequestOptions = {}): AbortSignal => {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
};

const isTimeout = (error: unknown): boolean => (error as Error | undefined)?.name === 'TimeoutError';

/** What fetch throws when the connection fails or breaks off (undici: "fetch failed", "terminated"). */
const isConnectionLost = (error: unknown): boolean => error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated');

export function hiddenFields(page: string, action: string): URLSearchParams {
  const form = new RegExp(`<form[^>]*action="${action.replace(/\//g, '\\/')}"[^>]*>([\\s\\S]*?)</form>`).exec(page)?.[1] ?? '';
  const unescape = (text: string) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  return new URLSearchParams([...form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m): [string, string] => [unescape(m[1]!), unescape(m[2]!)]));
}

/** Signs a new browser in (root by e-mail, or an IAM user of an account); returns its cookie header. */
export async function signIn(base: string, who: { email: string; password: string } | { account: string; username: string; password: string }): Promise<string> {
  const mode = 'email' in who ? 'root' : 'iam';
  const page = await fetch(`${base}/console/signin?mode=${mode}`, { signal: bounded() });
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const fields = hiddenFields(await page.text(), '/console/signin');
  fields.set('mode', mode);
  for (const [name, value] of Object.entries(who)) fields.set(name, value);
  const signedIn = await fetch(`${base}/console/signin`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: fields, signal: bounded() });
  assert.equal(signedIn.status, 303, await signedIn.text());
  // The sign-in renews the browser cookie (session fixation defence): the session is under the new value.
  return signedIn.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
}

export const tokenRequest = (base: string, key: KeyObject, body: Record<string, string>, options: RequestOptions = {}) =>
  fetch(`${base}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'keyless-audit-e2e', dpop: createDpopProof({ privateKey: key, htm: 'POST', htu: `${base}/v1/token`, now: Date.now() / 1000 }) },
    body: JSON.stringify(body),
    signal: bounded(options),
  });

/** One login of the signed-in browser: a client with its own DPoP key and first credentials. */
export async function newClient(base: string, cookie: string): Promise<Client> {
  const verifier = randomBytes(48).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    state: crypto.randomUUID(),
    code_challenge_method: 'SHA-256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    scope: 'openid',
    redirect_uri: REDIRECT_URI,
  });
  const chooser = await fetch(`${base}/v1/authorize?${query}`, { headers: { cookie }, signal: bounded() });
  const approved = await fetch(`${base}/v1/authorize/continue`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: hiddenFields(await chooser.text(), '/v1/authorize/continue'),
    signal: bounded(),
  });
  assert.equal(approved.status, 303, await approved.text());
  const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
  const key = newDpopKey();
  const redeemed = await tokenRequest(base, key, { clientId: CLIENT_ID, grantType: 'authorization_code', code, codeVerifier: verifier, redirectUri: REDIRECT_URI });
  const text = await redeemed.text();
  assert.equal(redeemed.status, 200, text);
  const body = JSON.parse(text) as { refreshToken: string; accessToken: Client['credentials'] };
  return { key, refreshToken: body.refreshToken, received: [body.accessToken.accessKeyId], credentials: body.accessToken };
}

/**
 * One refresh; true on 200 (the client keeps the rotated token), false when the server is gone
 * (the connection failed, or `options.signal` ended the request). A server that is there but does
 * not answer within the timeout is an error, and so is any answer but 200.
 */
export async function refresh(base: string, client: Client, options: RequestOptions = {}): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const unanswered = () => new Error(`POST ${base}/v1/token (refresh) got no answer within ${timeoutMs} ms`);
  const gone = (error: unknown): false => {
    if (isTimeout(error)) throw unanswered();
    if (options.signal?.aborted || isConnectionLost(error)) return false;
    throw error;
  };
  let response: Response;
  let text: string;
  try {
    response = await tokenRequest(base, client.key, { clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: client.refreshToken }, options);
    text = await response.text();
  } catch (error) {
    return gone(error);
  }
  if (response.status !== 200) throw new Error(`refresh answered ${response.status}: ${text}`);
  const body = JSON.parse(text) as { refreshToken: string; accessToken: Client['credentials'] };
  client.refreshToken = body.refreshToken;
  client.received.push(body.accessToken.accessKeyId);
  client.credentials = body.accessToken;
  return true;
}
