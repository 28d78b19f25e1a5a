// Login sessions obtained over real HTTP, exactly as a user and the CLI would (set-up phase, not
// measured): the root user signs in to the console once, then each session is one pass through
// GET /v1/authorize → POST /v1/authorize/continue → POST /v1/token (authorization_code, DPoP).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { dpopSigner, newDpopKey } from './dpop.mjs';

const CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
const REDIRECT_URI = 'http://127.0.0.1:53037/oauth/callback';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeHtml = (text) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/** The hidden inputs of the first form posting to `action`, unescaped. */
function hiddenFieldsOf(page, action) {
  const form = new RegExp(`<form[^>]*action="${action.replace(/[/]/g, '\\/')}"[^>]*>([\\s\\S]*?)</form>`).exec(page);
  if (!form) throw new Error(`no form posting to ${action} in:\n${page.slice(0, 2000)}`);
  const fields = new URLSearchParams();
  for (const input of form[1].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(unescapeHtml(input[1]), unescapeHtml(input[2]));
  return fields;
}

/**
 * fetch with a deadline: a set-up request the server never answers fails the run with its name
 * instead of hanging it (two runs hung in set-up on 2026-12-01; the cause was not found).
 */
const SETUP_REQUEST_TIMEOUT_MS = 30_000;
async function request(url, init = {}) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(SETUP_REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname}: no answer (${error.name === 'TimeoutError' ? `none within ${SETUP_REQUEST_TIMEOUT_MS} ms` : error.message})`);
  }
}

async function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}\n${(await response.text()).slice(0, 2000)}`);
  return response;
}

/** Signs the root user in; returns the browser cookie header. */
export const signInRoot = (base, { email, password }) => signIn(base, { mode: 'root', email, password });

/** Signs an IAM user in (as signInRoot does the root user). */
export const signInUser = (base, { account, username, password }) => signIn(base, { mode: 'iam', account, username, password });

async function signIn(base, fields) {
  const page = await expectStatus(await request(`${base}/console/signin?mode=${fields.mode}`), 200, 'GET /console/signin');
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('keyless-browser='));
  if (!cookie) throw new Error('GET /console/signin set no keyless-browser cookie');
  const csrf = hiddenFieldsOf(await page.text(), '/console/signin').get('csrf');
  const form = new URLSearchParams({ ...fields, csrf });
  const response = await request(`${base}/console/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await expectStatus(response, 303, 'POST /console/signin');
  // The sign-in gives the browser a new cookie value (session fixation defence): the session is under
  // it. A build from before that defence keeps the first value (scripts/upgrade-check.mjs drives one).
  const renewed = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('keyless-browser='));
  return { cookie: renewed ?? cookie };
}

/** One login session: its DPoP key (private JWK) and its first refresh token. */
export async function createLoginSession(base, browser) {
  const verifier = randomBytes(48).toString('base64url');
  const state = randomUUID();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    state,
    code_challenge_method: 'SHA-256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    scope: 'openid',
    redirect_uri: REDIRECT_URI,
  });
  const chooser = await expectStatus(await request(`${base}/v1/authorize?${query}`, { headers: { cookie: browser.cookie }, redirect: 'manual' }), 200, 'GET /v1/authorize');
  const fields = hiddenFieldsOf(await chooser.text(), '/v1/authorize/continue');
  const approved = await request(`${base}/v1/authorize/continue`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  await expectStatus(approved, 303, 'POST /v1/authorize/continue');
  const callback = new URL(approved.headers.get('location'));
  if (callback.searchParams.get('state') !== state) throw new Error(`state mismatch in ${callback}`);

  const privateJwk = newDpopKey();
  const tokenUrl = `${base}/v1/token`;
  const response = await request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dpop: dpopSigner(privateJwk, tokenUrl)() },
    body: JSON.stringify({ clientId: CLIENT_ID, grantType: 'authorization_code', code: callback.searchParams.get('code'), codeVerifier: verifier, redirectUri: REDIRECT_URI }),
  });
  await expectStatus(response, 200, 'POST /v1/token (authorization_code)');
  const { refreshToken } = await response.json();
  return { privateJwk, refreshToken };
}

/** `count` sessions, a few at a time. */
export async function createLoginSessions(base, browser, count, parallel = 8) {
  const sessions = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, () => createLoginSession(base, browser));
    sessions.push(...(await Promise.all(batch)));
  }
  return sessions;
}

/**
 * One real refresh on a spare session: the exact request the load generator will send and the
 * response it gets, so the baseline can answer the same number of bytes to the same request size.
 */
export async function sampleRefresh(base, browser) {
  const session = await createLoginSession(base, browser);
  const tokenUrl = `${base}/v1/token`;
  const body = JSON.stringify({ clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: session.refreshToken });
  const dpop = dpopSigner(session.privateJwk, tokenUrl)();
  const response = await expectStatus(await request(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json', dpop }, body }), 200, 'POST /v1/token (refresh_token)');
  const text = await response.text();
  return { requestBody: body, dpop, responseBytes: Buffer.byteLength(text), response: JSON.parse(text) };
}
