// A real service (real store, real crypto, real HTTP stack via inject) with a clock tests move,
// and a scripted browser that walks the console and /v1/authorize the way a person would.
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SAME_DEVICE_CLIENT_ID,
  codeChallengeOf,
  createCodeVerifier,
  createDpopProof,
  newDpopKey,
  type ClientId,
} from '@keyless/protocol';
import { loadConfig, type Config } from '../config/config.ts';
import { createService, type Service } from '../compose.ts';
import { manualClock } from '../clock.ts';
import { createAccount, createUser } from '../directory/directory-admin.ts';
import { operatorRequest } from '../audit/iam-events.ts';
import { attachPolicy } from '../iam/admin/attachments.ts';
import type { IamDeps } from '../iam/admin/deps.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../iam/policy/index.ts';
import type { Store } from '../store/store.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { Logger } from 'pino';

export const ROOT_EMAIL = 'root@example.com';
export const ROOT_PASSWORD = 'correct horse battery staple';
export const USER_NAME = 'alice';
export const USER_PASSWORD = 'alice-password-123';
export const ACCOUNT_ID = '111111111111';

export interface Harness {
  service: Service;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  accountId: string;
  tokenUrl: string;
  /** A new browser (its own cookie jar); `ip` is the address its requests come from, `headers` go on each of them. */
  browser(options?: BrowserOptions): ScriptedBrowser;
  close(): Promise<void>;
}

export interface InjectResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = any>(): T;
}

export async function startHarness(
  options: { store?: Store; userMaxSessionSeconds?: number; authorizer?: Authorizer; logger?: Logger; env?: Record<string, string> } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-test-'));
  const config = loadConfig({ ...options.env, KEYLESS_DATA_DIR: dataDir, KEYLESS_PORT: '4466' });
  const clock = manualClock(Date.now());
  const service = await createService(config, { clock, logger: options.logger ?? false, store: options.store, authorizer: options.authorizer });
  const deps = service.deps;
  await createAccount(deps, { rootEmail: ROOT_EMAIL, rootPassword: ROOT_PASSWORD, accountId: ACCOUNT_ID, alias: 'example' });
  await createUser(deps, { accountId: ACCOUNT_ID, userName: USER_NAME, password: USER_PASSWORD, maxSessionSeconds: options.userMaxSessionSeconds });
  await allowLogin(deps, ACCOUNT_ID, USER_NAME);
  return {
    service,
    config,
    clock,
    accountId: ACCOUNT_ID,
    tokenUrl: `${config.publicUrl}/v1/token`,
    browser: (options) => new ScriptedBrowser(service, config.publicUrl, options),
    async close() {
      await service.close();
      if (options.store) await options.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Lets an IAM user `keyless login`: like every such user since issue 4, it needs
 * signin:AuthorizeOAuth2Access and signin:CreateOAuth2Token, which the AWS-managed
 * SignInLocalDevelopmentAccess allows.
 */
export async function allowLogin(deps: IamDeps, accountId: string, userName: string): Promise<void> {
  await attachPolicy(deps, operatorRequest(deps.random, 'attach-user-policy'), { kind: 'user', accountId, name: userName, policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
}

/** The value of the (first) input named `name` in a page. */
export const hidden = (page: string, name: string): string | undefined =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** The fields of the first form posting to `action`, as a browser would submit them (checked radios only). */
export function formFields(page: string, action: string): Record<string, string> {
  const form = new RegExp(`<form[^>]*action="${action.replace(/[/.]/g, '\\$&')}"[\\s\\S]*?</form>`).exec(page)?.[0];
  if (!form) throw new Error(`no form posting to ${action}`);
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1];
    if (!name || value === undefined || (/type="radio"/.test(tag) && !/\bchecked\b/.test(tag))) continue;
    fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  }
  return fields;
}

export interface BrowserOptions {
  ip?: string;
  headers?: Record<string, string>;
}

/** A browser with a cookie jar, driving pages through `inject`. */
export class ScriptedBrowser {
  private cookies = new Map<string, string>();
  constructor(
    private readonly service: Service,
    private readonly base: string,
    private readonly options: BrowserOptions = {},
  ) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<InjectResult> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.service.app.inject({
      method,
      url: path,
      ...(this.options.ip && { remoteAddress: this.options.ip }),
      headers: { ...(cookie && { cookie }), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }), 'user-agent': 'Mozilla/5.0 (test)', ...this.options.headers, ...headers },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { status: response.statusCode, headers: response.headers, body: response.body, json: () => response.json() };
  }

  /** Signs in as the IAM user (default) or root; returns the page that followed. */
  async signIn(as: { mode: 'iam'; account?: string; username?: string; password?: string } | { mode: 'root'; email?: string; password?: string } = { mode: 'iam' }, returnTo?: string): Promise<InjectResult> {
    const form = await this.request('GET', `/console/signin?${new URLSearchParams({ mode: as.mode, ...(returnTo && { return_to: returnTo }) })}`);
    const csrf = hidden(form.body, 'csrf')!;
    const fields: Record<string, string> =
      as.mode === 'root'
        ? { mode: 'root', email: as.email ?? ROOT_EMAIL, password: as.password ?? ROOT_PASSWORD }
        : { mode: 'iam', account: as.account ?? ACCOUNT_ID, username: as.username ?? USER_NAME, password: as.password ?? USER_PASSWORD };
    return this.request('POST', '/console/signin', { ...fields, csrf, ...(returnTo && { return_to: returnTo }) });
  }

  /** Opens an authorize URL and, on the chooser, continues as the first (or the given) session. Returns the final redirect. */
  async authorize(params: Record<string, string>, sessionIndex = 0): Promise<InjectResult> {
    const page = await this.request('GET', `/v1/authorize?${new URLSearchParams(params)}`);
    if (page.status !== 200) return page;
    const forms = [...page.body.matchAll(/<form[^>]*action="\/v1\/authorize\/continue"[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const form = forms[sessionIndex];
    if (!form) throw new Error('no session to continue with');
    const fields = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, hidden(form, m[1]!)!]));
    return this.request('POST', '/v1/authorize/continue', fields);
  }
}

/** What `keyless login` would hold: a verifier, its challenge, a state and a DPoP key. */
export interface LoginAttempt {
  verifier: string;
  state: string;
  redirectUri: string;
  clientId: ClientId;
  key: KeyObject;
  params: Record<string, string>;
}

export function newLoginAttempt(clientId: ClientId = SAME_DEVICE_CLIENT_ID, redirectUri = 'http://127.0.0.1:53037/oauth/callback'): LoginAttempt {
  const verifier = createCodeVerifier();
  const state = crypto.randomUUID();
  return {
    verifier,
    state,
    redirectUri,
    clientId,
    key: newDpopKey(),
    params: {
      response_type: 'code',
      client_id: clientId,
      state,
      code_challenge_method: 'SHA-256',
      code_challenge: codeChallengeOf(verifier),
      scope: 'openid',
      redirect_uri: redirectUri,
    },
  };
}

/** POST /v1/token as the CLI and SDKs do, with a fresh DPoP proof unless one is given. */
export async function postToken(
  harness: Harness,
  body: Record<string, unknown> | string,
  proof: { key?: KeyObject; dpop?: string | null; contentType?: string } = {},
): Promise<InjectResult> {
  const dpop =
    proof.dpop === undefined
      ? createDpopProof({ privateKey: proof.key!, htm: 'POST', htu: harness.tokenUrl, now: harness.clock.now() / 1000 })
      : proof.dpop;
  const response = await harness.service.app.inject({
    method: 'POST',
    url: '/v1/token',
    headers: { 'content-type': proof.contentType ?? 'application/json', ...(dpop !== null && { dpop }) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, body: response.body, json: () => response.json() };
}

/** Signs in, authorises and returns the code from the redirect. */
export async function obtainCode(harness: Harness, attempt: LoginAttempt, browser = harness.browser()): Promise<string> {
  await browser.signIn();
  const redirect = await browser.authorize(attempt.params);
  const location = new URL(String(redirect.headers.location));
  if (location.searchParams.get('state') !== attempt.state) throw new Error(`state mismatch in ${location}`);
  return location.searchParams.get('code')!;
}

export const redeemBody = (attempt: LoginAttempt, code: string) => ({
  clientId: attempt.clientId,
  grantType: 'authorization_code',
  code,
  codeVerifier: attempt.verifier,
  redirectUri: attempt.redirectUri,
});

export const refreshBody = (attempt: LoginAttempt, refreshToken: string) => ({ clientId: attempt.clientId, grantType: 'refresh_token', refreshToken });
