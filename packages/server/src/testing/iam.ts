// What the IAM tests share: the operator as the audited actor, deps from a harness, a user who can
// sign in, and a whole `keyless login` (authorize, redeem) that hands back what the CLI would keep.
import assert from 'node:assert/strict';
import { operatorRequest } from '../audit/iam-events.ts';
import { systemRandom } from '../crypto/ids.ts';
import { createUser } from '../directory/directory-admin.ts';
import { newLoginAttempt, postToken, redeemBody, refreshBody, type Harness, type InjectResult, type LoginAttempt, type ScriptedBrowser } from './harness.ts';
import type { IamDeps } from '../iam/admin/deps.ts';
import { attachPolicy } from '../iam/admin/attachments.ts';

export const operator = operatorRequest(systemRandom, 'test');

export const iamDeps = (h: Harness): IamDeps => h.service.deps;

export const PASSWORD = 'a-long-test-password-1';

/** An IAM user with a password and the managed policies given (none: it cannot log in). */
export async function newUser(h: Harness, name: string, policyArns: string[] = []): Promise<void> {
  await createUser(iamDeps(h), { accountId: h.accountId, userName: name, password: PASSWORD });
  for (const policyArn of policyArns) await attachPolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name, policyArn });
}

export interface Login {
  attempt: LoginAttempt;
  refreshToken: string;
  accessToken: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

/** Signs `name` in (or root when `name` is 'root') and approves an authorize request; the approval's response. */
export async function approve(h: Harness, name: string, attempt: LoginAttempt = newLoginAttempt(), browser: ScriptedBrowser = h.browser()): Promise<InjectResult> {
  const signedIn = await browser.signIn(name === 'root' ? { mode: 'root' } : { mode: 'iam', username: name, password: name === 'alice' ? undefined : PASSWORD });
  assert.equal(signedIn.status, 303, `sign-in as ${name}: ${signedIn.body.slice(0, 400)}`);
  return browser.authorize(attempt.params);
}

/** A whole login that must succeed. */
export async function login(h: Harness, name: string): Promise<Login> {
  const attempt = newLoginAttempt();
  const approved = await approve(h, name, attempt);
  assert.equal(approved.status, 303, approved.body.slice(0, 400));
  const code = new URL(String(approved.headers.location)).searchParams.get('code')!;
  const redeemed = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
  assert.equal(redeemed.status, 200, redeemed.body);
  const body = redeemed.json();
  return { attempt, refreshToken: body.refreshToken, accessToken: body.accessToken };
}

/** One refresh; on success the login's refresh token moves on. */
export async function refresh(h: Harness, session: Login): Promise<InjectResult> {
  const response = await postToken(h, refreshBody(session.attempt, session.refreshToken), { key: session.attempt.key });
  if (response.status === 200) session.refreshToken = response.json().refreshToken;
  return response;
}

/** The newest audit record of `eventName` for `username`, parsed. */
export async function lastEvent(h: Harness, eventName: string, username?: string): Promise<Record<string, any>> {
  const [row] = await h.service.store.read((rs) => rs.audit.list({ eventName, ...(username && { username }), limit: 1 }));
  assert.ok(row, `no ${eventName} event${username ? ` for ${username}` : ''}`);
  return JSON.parse(row.record);
}
