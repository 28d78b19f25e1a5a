// Console sign-in, as its steps: password (root by e-mail, IAM users by account and user name),
// then the TOTP code when the principal has MFA, then a session under the five-per-browser limit
// (or the choice of which session to end). Every refusal of a password or code reads the same
// whether or not the principal exists, and every guess is throttled before it is checked.
import { ACCOUNT_ID_PATTERN } from '@keyless/protocol';
import { consoleLogin } from '../audit/events/console-login.ts';
import type { AuditTrail } from '../audit/trail.ts';
import type { RequestContext } from '../request-context.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import { verifyPassword } from '../crypto/passwords.ts';
import type { Sealer } from '../crypto/sealer.ts';
import { rootSignInRefusal } from '../iam/root-sign-in.ts';
import type { ConsoleSession, Principal, Store } from '../store/store.ts';
import { checkTotpCode } from './mfa.ts';
import { openConsoleSession } from './open-session.ts';
import { openPendingSignIn, PENDING_SIGN_IN_MS, sealPendingSignIn } from './pending-sign-in.ts';
import { addressKey, passwordKey, reserveAttempt, tooManyAttemptsMessage, totpKey, unknownNameKey } from './throttle.ts';

export { MAX_CONSOLE_SESSIONS, CONSOLE_SESSION_MS } from './open-session.ts';

export interface SignInDeps {
  store: Store;
  clock: Clock;
  random: Random;
  region: string;
  sealer: Sealer;
  audit: AuditTrail;
}

export type Credentials =
  | { mode: 'root'; email: string; password: string }
  | { mode: 'iam'; account: string; username: string; password: string };

export type SignInOutcome =
  | { kind: 'signed-in'; session: ConsoleSession }
  /** Password right; the TOTP code is next. `challenge` is the sealed pending sign-in. */
  | { kind: 'mfa-required'; challenge: string; principal: Principal }
  /** Authenticated, but the browser has five sessions: the user picks one to end. */
  | { kind: 'choose-session'; pending: string; sessions: ConsoleSession[]; principal: Principal }
  /** `principalArn` when the refusal is of a TOTP code: the page asks again for the same principal. */
  | { kind: 'refused'; status: 401 | 403 | 429; message: string; principalArn?: string }
  /** The pending sign-in is forged, from another browser, or older than five minutes. */
  | { kind: 'expired' };

export const WRONG_PASSWORD = 'The sign-in details are not correct. Check them and try again.';
export const WRONG_CODE = 'That code is not correct. Enter the current 6-digit code from your authenticator app.';

/** Step 1: the password. */
export async function signInWithPassword(deps: SignInDeps, credentials: Credentials, browserDigest: string, context: RequestContext): Promise<SignInOutcome> {
  const principal = await findPrincipal(deps.store, credentials);
  const now = deps.clock.now();
  const typedName = credentials.mode === 'root' ? `root:${credentials.email}` : `iam:${credentials.account}/${credentials.username}`;
  const reservation = await reserveAttempt(deps.store, [addressKey(context.sourceIp), principal ? passwordKey(principal.id) : unknownNameKey(typedName)], now);
  if (!reservation.ok) return { kind: 'refused', status: 429, message: tooManyAttemptsMessage(reservation.retryAfterMs) };

  // Same argon2 cost whether or not the principal exists.
  const valid = await verifyPassword(principal?.password_hash, credentials.password);
  if (!principal || !valid) {
    if (principal) await deps.store.transaction((tx) => deps.audit.record(tx, consoleLogin({ principal, region: deps.region, context, now, outcome: 'failure', mfaUsed: false })));
    return { kind: 'refused', status: 401, message: WRONG_PASSWORD };
  }
  await reservation.succeeded();

  const device = await deps.store.read((rs) => rs.mfaDevices.find(principal.id));
  if (device?.enabled_at != null) {
    const challenge = sealPendingSignIn(deps.sealer, 'mfa', { principalId: principal.id, browserDigest, mfa: false, expiresAt: now + PENDING_SIGN_IN_MS });
    return { kind: 'mfa-required', challenge, principal };
  }
  return openSession(deps, principal, browserDigest, false, context);
}

/** Step 2, for principals with MFA: the code from the authenticator app. */
export async function signInWithTotp(deps: SignInDeps, challenge: unknown, code: string, browserDigest: string, context: RequestContext): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const pending = openPendingSignIn(deps.sealer, 'mfa', challenge, browserDigest, now);
  const principal = pending && (await deps.store.read((rs) => rs.directory.findPrincipal(pending.principalId)));
  if (!principal) return { kind: 'expired' };
  const reservation = await reserveAttempt(deps.store, [addressKey(context.sourceIp), totpKey(principal.id)], now);
  if (!reservation.ok) return { kind: 'refused', status: 429, message: tooManyAttemptsMessage(reservation.retryAfterMs), principalArn: principal.arn };

  const checked = await checkTotpCode(deps, principal.id, code, now);
  // An administrator removed the device meanwhile: sign in again, with the password only.
  if (checked === 'no-device') {
    await reservation.succeeded();
    return { kind: 'expired' };
  }
  if (checked !== 'ok') {
    await deps.store.transaction((tx) => deps.audit.record(tx, consoleLogin({ principal, region: deps.region, context, now, outcome: 'failure', mfaUsed: true })));
    return { kind: 'refused', status: 401, message: WRONG_CODE, principalArn: principal.arn };
  }
  await reservation.succeeded();
  return openSession(deps, principal, browserDigest, true, context);
}

/** Step 3, when the browser had five sessions: end the one the user chose, then open the new one. */
export async function signInReplacing(deps: SignInDeps, pendingSealed: unknown, endSessionId: string, browserDigest: string, context: RequestContext): Promise<SignInOutcome> {
  const pending = openPendingSignIn(deps.sealer, 'choose', pendingSealed, browserDigest, deps.clock.now());
  const principal = pending && (await deps.store.read((rs) => rs.directory.findPrincipal(pending.principalId)));
  if (!pending || !principal) return { kind: 'expired' };
  return openSession(deps, principal, browserDigest, pending.mfa, context, endSessionId);
}

async function openSession(
  deps: SignInDeps,
  principal: Principal,
  browserDigest: string,
  mfa: boolean,
  context: RequestContext,
  endSessionId?: string,
): Promise<SignInOutcome> {
  // Issue 4: root of a member account whose root credentials its organization removed.
  const rootRefusal = principal.kind === 'root' ? await deps.store.read((rs) => rootSignInRefusal(rs, principal.account_id)) : undefined;
  if (rootRefusal) {
    await deps.store.transaction((tx) => deps.audit.record(tx, consoleLogin({ principal, region: deps.region, context, now: deps.clock.now(), outcome: 'failure', mfaUsed: mfa })));
    return { kind: 'refused', status: 403, message: rootRefusal };
  }
  const opened = await openConsoleSession(deps, { principal, browserDigest, mfa, context, endSessionId });
  if (opened.ok) return { kind: 'signed-in', session: opened.session };
  const pending = sealPendingSignIn(deps.sealer, 'choose', { principalId: principal.id, browserDigest, mfa, expiresAt: deps.clock.now() + PENDING_SIGN_IN_MS });
  return { kind: 'choose-session', pending, sessions: opened.full, principal };
}

async function findPrincipal(store: Store, credentials: Credentials): Promise<Principal | undefined> {
  if (credentials.mode === 'root') return store.read((rs) => rs.directory.findRootByEmail(credentials.email.trim()));
  const account = credentials.account.trim();
  const accountId = ACCOUNT_ID_PATTERN.test(account) ? account : (await store.read((rs) => rs.directory.findAccountByAlias(account.toLowerCase())))?.id;
  return accountId ? store.read((rs) => rs.directory.findUser(accountId, credentials.username.trim())) : undefined;
}
