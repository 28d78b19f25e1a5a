// Rows for the contract suite: complete, valid values that each test overrides where it matters,
// and `withFreshStore`, which gives every test a store on an empty database of its own.
import { it } from 'node:test';
import type {
  Account,
  AuditEventRow,
  AuthCode,
  ConsoleSession,
  CredentialRow,
  LoginSession,
  Principal,
  RefreshTokenRow,
  SigningKeyRow,
  Store,
} from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';

/** An epoch-millisecond instant past 2^32 (and 2^40): it must survive PostgreSQL's bigint as a number. */
export const T0 = 1_795_467_121_525;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const ACCOUNT_ID = '111122223333';
export const OTHER_ACCOUNT_ID = '444455556666';
export const ROOT_EMAIL = 'root@example.com';
export const BROWSER = 'browser-digest-a';
export const OTHER_BROWSER = 'browser-digest-b';

/** `it`, with a fresh store for the body that is closed (and its database dropped) afterwards. */
export function withFreshStore(backend: TestBackend) {
  return (name: string, body: (store: Store) => Promise<void>) =>
    it(name, async () => {
      const store = await backend.open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
}

/** Fires `count` calls at once and waits for all of them. */
export const concurrently = <T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: count }, (_, index) => call(index)));

/**
 * Returns `arrive`, whose promise settles once `parties` callers have arrived: lines concurrent
 * transactions up so that every one has read before any writes, the interleaving that breaks
 * read-then-write code. Without it the first transaction can finish before the pool has even
 * connected the others.
 */
export function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release = () => {};
  const open = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived >= parties) release();
    return open;
  };
}

export const account = (over: Partial<Account> = {}): Account => ({ id: ACCOUNT_ID, alias: 'example', root_email: ROOT_EMAIL, created_at: T0, ...over });

export const root = (accountId = ACCOUNT_ID, email = ROOT_EMAIL): Principal => ({
  id: accountId,
  account_id: accountId,
  kind: 'root',
  name: email,
  arn: `arn:aws:iam::${accountId}:root`,
  password_hash: '$argon2id$root',
  password_changed_at: T0,
  max_session_seconds: 43_200,
  created_at: T0,
});

export const user = (name: string, over: Partial<Principal> = {}): Principal => {
  const accountId = over.account_id ?? ACCOUNT_ID;
  return {
    id: `AIDA${accountId}${name.toUpperCase()}`,
    account_id: accountId,
    kind: 'user',
    name,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    password_hash: `$argon2id$${name}`,
    password_changed_at: T0,
    max_session_seconds: 3_600,
    created_at: T0,
    ...over,
  };
};

export const consoleSession = (id: string, principal: Principal, over: Partial<ConsoleSession> = {}): ConsoleSession => ({
  id,
  browser_digest: BROWSER,
  principal_id: principal.id,
  account_id: principal.account_id,
  arn: principal.arn,
  mfa: 0,
  source_ip: '192.0.2.1',
  user_agent: 'contract-test',
  created_at: T0,
  expires_at: T0 + 12 * HOUR,
  ended_at: null,
  ...over,
});

export const authCode = (digest: string, session: ConsoleSession, over: Partial<AuthCode> = {}): AuthCode => ({
  digest,
  client_id: 'arn:aws:signin:::devtools/same-device',
  redirect_uri: 'http://127.0.0.1:51234/oauth/callback',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  console_session_id: session.id,
  principal_id: session.principal_id,
  region: 'us-east-1',
  created_at: T0,
  expires_at: T0 + 5 * MINUTE,
  consumed_at: null,
  login_session_id: null,
  ...over,
});

export const loginSession = (id: string, principal: Principal, over: Partial<LoginSession> = {}): LoginSession => ({
  id,
  principal_id: principal.id,
  account_id: principal.account_id,
  arn: principal.arn,
  console_session_id: 'console-1',
  client_id: 'arn:aws:signin:::devtools/same-device',
  jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I',
  region: 'us-east-1',
  mfa: 1,
  password_changed_at: T0,
  source_ip: '192.0.2.1',
  created_at: T0,
  expires_at: T0 + 12 * HOUR,
  revoked_at: null,
  revoke_reason: null,
  audit_template_id: null,
  ...over,
});

export const refreshToken = (digest: string, loginSessionId: string, over: Partial<RefreshTokenRow> = {}): RefreshTokenRow => ({
  digest,
  login_session_id: loginSessionId,
  created_at: T0,
  consumed_at: null,
  replay_sealed: null,
  ...over,
});

export const credential = (accessKeyId: string, loginSessionId: string, over: Partial<CredentialRow> = {}): CredentialRow => ({
  access_key_id: accessKeyId,
  login_session_id: loginSessionId,
  secret_sealed: `k1.sealed-secret-of-${accessKeyId}`,
  session_token_digest: `token-digest-of-${accessKeyId}`,
  issued_at: T0,
  expires_at: T0 + 15 * MINUTE,
  ...over,
});

export type NewAuditEvent = Omit<AuditEventRow, 'seq' | 'export_batch'>;

export const auditEvent = (eventId: string, over: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  event_id: eventId,
  event_time: T0,
  event_name: 'ConsoleLogin',
  event_source: 'signin.amazonaws.com',
  account_id: ACCOUNT_ID,
  username: 'alice',
  access_key_id: null,
  read_only: 0,
  request_id: `request-${eventId}`,
  record: JSON.stringify({ eventID: eventId }),
  template_id: null,
  template_fills: null,
  ...over,
});

export const signingKey = (kid: string, createdAt: number): SigningKeyRow => ({
  kid,
  alg: 'ES256',
  private_jwk_sealed: `k1.sealed-private-${kid}`,
  public_jwk: JSON.stringify({ kty: 'EC', crv: 'P-256', kid }),
  created_at: createdAt,
});

/** An account with its root and the users named, as most tests need a principal to hang rows on. */
export async function seedAccount(store: Store, userNames: string[] = ['alice']): Promise<{ root: Principal; users: Principal[] }> {
  const rootPrincipal = root();
  const users = userNames.map((name) => user(name));
  await store.read((rs) => rs.directory.createAccount(account()));
  await store.read((rs) => rs.directory.createPrincipal(rootPrincipal));
  for (const principal of users) await store.read((rs) => rs.directory.createPrincipal(principal));
  return { root: rootPrincipal, users };
}

/** A login session for alice with one unconsumed refresh token. */
export async function seedLoginSession(store: Store, token = 'rt-0'): Promise<{ principal: Principal; session: LoginSession }> {
  const { users } = await seedAccount(store);
  const principal = users[0]!;
  const session = loginSession('login-1', principal);
  await store.read((rs) => rs.loginSessions.create(session));
  await store.read((rs) => rs.loginSessions.insertRefreshToken(refreshToken(token, session.id)));
  return { principal, session };
}
