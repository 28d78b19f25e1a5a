// Epoch milliseconds outgrow 32 bits: PostgreSQL stores them as bigint, which node-postgres would
// return as strings; the store must hand back the very numbers it was given on every backend.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { account, auditEvent, authCode, consoleSession, credential, loginSession, refreshToken, root, signingKey, withFreshStore } from './fixtures.ts';

/** Now-ish, and the largest integer a number holds exactly. */
const INSTANTS = [1_795_467_121_525, Number.MAX_SAFE_INTEGER];

/** Each time column, keyed `table.column`, as read back; every one must equal what was written. */
function assertRoundTrip(read: Record<string, unknown>, written: number): void {
  for (const [column, value] of Object.entries(read)) {
    assert.equal(typeof value, 'number', `${column} comes back as a number, not ${typeof value}`);
    assert.equal(value, written, column);
  }
}

export function bigintContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('bigint round-trip', () => {
    for (const t of INSTANTS) {
      test(`${t} comes back from every time column as the same number`, async (store) => {
        const principal = { ...root(), password_changed_at: t, created_at: t };
        await store.read((rs) => rs.directory.createAccount(account({ created_at: t })));
        await store.read((rs) => rs.directory.createPrincipal(principal));
        const console = consoleSession('console-1', principal, { created_at: t, expires_at: t });
        await store.read((rs) => rs.consoleSessions.create(console));
        await store.read((rs) => rs.authCodes.create(authCode('code', console, { created_at: t, expires_at: t, consumed_at: t })));
        const session = loginSession('login-1', principal, { password_changed_at: t, created_at: t, expires_at: t, revoked_at: t });
        await store.read((rs) => rs.loginSessions.create(session));
        await store.read((rs) => rs.loginSessions.insertRefreshToken(refreshToken('rt', session.id, { created_at: t, consumed_at: t })));
        await store.read((rs) => rs.loginSessions.insertCredential(credential('ASIAEXAMPLE', session.id, { issued_at: t, expires_at: t })));
        await store.read((rs) => rs.audit.append(auditEvent('e1', { event_time: t })));
        await store.read((rs) => rs.settings.insertSigningKey(signingKey('kid', t)));

        const accountRow = await store.read((rs) => rs.directory.findAccount(principal.account_id));
        const principalRow = await store.read((rs) => rs.directory.findPrincipal(principal.id));
        const [activeConsole] = await store.read((rs) => rs.consoleSessions.listActive(console.browser_digest, t - 1));
        const [endedConsole] = await store.read((rs) => rs.consoleSessions.end(console.browser_digest, console.id, t));
        const codeRow = await store.read((rs) => rs.authCodes.find('code'));
        const found = await store.read((rs) => rs.loginSessions.findCredential('ASIAEXAMPLE'));
        const tokenRow = await store.read((rs) => rs.loginSessions.findRefreshToken('rt'));
        const [auditRow] = await store.read((rs) => rs.audit.list({ since: t }));
        const [keyRow] = await store.read((rs) => rs.settings.listSigningKeys());
        assertRoundTrip(
          {
            'accounts.created_at': accountRow?.created_at,
            'principals.password_changed_at': principalRow?.password_changed_at,
            'principals.created_at': principalRow?.created_at,
            'console_sessions.created_at': activeConsole?.created_at,
            'console_sessions.expires_at': activeConsole?.expires_at,
            'console_sessions.ended_at': endedConsole?.ended_at,
            'auth_codes.created_at': codeRow?.created_at,
            'auth_codes.expires_at': codeRow?.expires_at,
            'auth_codes.consumed_at': codeRow?.consumed_at,
            'login_sessions.password_changed_at': found?.session.password_changed_at,
            'login_sessions.created_at': found?.session.created_at,
            'login_sessions.expires_at': found?.session.expires_at,
            'login_sessions.revoked_at': found?.session.revoked_at,
            'refresh_tokens.created_at': tokenRow?.created_at,
            'refresh_tokens.consumed_at': tokenRow?.consumed_at,
            'credentials.issued_at': found?.credential.issued_at,
            'credentials.expires_at': found?.credential.expires_at,
            'audit_events.event_time': auditRow?.event_time,
            'signing_keys.created_at': keyRow?.created_at,
          },
          t,
        );
        assert.equal(typeof auditRow?.seq, 'number', 'audit_events.seq (bigserial on PostgreSQL) is a number');
      });
    }
  });
}
