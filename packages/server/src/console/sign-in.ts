// Console sign-in with a password: root by e-mail, IAM users by account and user name.
// Every outcome is the same to an observer who does not know the password: one message, and the
// same argon2 cost whether or not the principal exists.
import { ACCOUNT_ID_PATTERN } from '@keyless/protocol';
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import type { Clock } from '../clock.ts';
import { newSessionId, type Random } from '../crypto/ids.ts';
import { verifyPassword } from '../crypto/passwords.ts';
import type { ConsoleSession, Principal, Store } from '../store/store.ts';

export const MAX_CONSOLE_SESSIONS = 5;
/** Console sessions last 12 hours, like AWS's. */
export const CONSOLE_SESSION_MS = 12 * 3600_000;

export type Credentials =
  | { mode: 'root'; email: string; password: string }
  | { mode: 'iam'; account: string; username: string; password: string };

export type SignInResult = { ok: true; session: ConsoleSession } | { ok: false; message: string };

const WRONG = 'The sign-in details are not correct. Check them and try again.';

export async function signInWithPassword(
  deps: { store: Store; clock: Clock; random: Random; region: string },
  credentials: Credentials,
  browserDigest: string,
  context: RequestContext,
): Promise<SignInResult> {
  const principal = await findPrincipal(deps.store, credentials);
  const valid = await verifyPassword(principal?.password_hash, credentials.password);
  const now = deps.clock.now();
  if (!principal) return { ok: false, message: WRONG };
  if (!valid) {
    await deps.store.transaction((tx) => recordConsoleLogin(tx, deps, principal, context, now, undefined));
    return { ok: false, message: WRONG };
  }
  const active = await deps.store.consoleSessions.listActive(browserDigest, now);
  if (active.length >= MAX_CONSOLE_SESSIONS) {
    return { ok: false, message: `This browser already has ${MAX_CONSOLE_SESSIONS} active sessions. Sign out of one first.` };
  }
  const session: ConsoleSession = {
    id: newSessionId(deps.random),
    browser_digest: browserDigest,
    principal_id: principal.id,
    account_id: principal.account_id,
    arn: principal.arn,
    mfa: 0,
    source_ip: context.sourceIp,
    user_agent: context.userAgent.slice(0, 512),
    created_at: now,
    expires_at: now + CONSOLE_SESSION_MS,
    ended_at: null,
  };
  await deps.store.transaction(async (tx) => {
    await tx.consoleSessions.create(session);
    await recordConsoleLogin(tx, deps, principal, context, now, session);
  });
  return { ok: true, session };
}

async function findPrincipal(store: Store, credentials: Credentials): Promise<Principal | undefined> {
  if (credentials.mode === 'root') return store.directory.findRootByEmail(credentials.email.trim());
  const account = credentials.account.trim();
  const accountId = ACCOUNT_ID_PATTERN.test(account) ? account : (await store.directory.findAccountByAlias(account.toLowerCase()))?.id;
  return accountId ? store.directory.findUser(accountId, credentials.username.trim()) : undefined;
}

/** CloudTrail's ConsoleLogin: eventType AwsConsoleSignIn, the outcome in responseElements. */
function recordConsoleLogin(
  tx: Parameters<Parameters<Store['transaction']>[0]>[0],
  deps: { random: Random; region: string },
  principal: Principal,
  context: RequestContext,
  now: number,
  session: ConsoleSession | undefined,
): Promise<void> {
  return recordAuditEvent(tx, {
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    principal: { principalId: principal.kind === 'root' ? principal.account_id : principal.id, accountId: principal.account_id, arn: principal.arn },
    region: deps.region,
    context,
    eventId: deps.random.uuid(),
    eventTime: now,
    requestParameters: null,
    responseElements: { ConsoleLogin: session ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: 'No' },
    success: session !== undefined,
    errorMessage: session ? undefined : 'Failed authentication',
    errorCode: session ? undefined : 'Failed authentication',
  });
}
