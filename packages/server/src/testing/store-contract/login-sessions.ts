// Login sessions, their rotating refresh tokens (one conditional write, STYLE.md principle 5) and
// the credentials issued under them.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import {
  HOUR,
  MINUTE,
  OTHER_ACCOUNT_ID,
  T0,
  account,
  auditEvent,
  barrier,
  concurrently,
  credential,
  loginSession,
  refreshToken,
  seedAccount,
  seedLoginSession,
  user,
  withFreshStore,
} from './fixtures.ts';

const NOW = T0 + HOUR;

export function loginSessionsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('login sessions', () => {
    test('find returns the session exactly as written; unknown → undefined', async (store) => {
      const { session } = await seedLoginSession(store);
      assert.deepEqual(await store.read((rs) => rs.loginSessions.find(session.id)), session);
      assert.equal(await store.read((rs) => rs.loginSessions.find('unknown')), undefined);
    });

    test('revoke is conditional: the first call revokes and says so, the second changes nothing', async (store) => {
      const { session } = await seedLoginSession(store);
      assert.equal(await store.read((rs) => rs.loginSessions.revoke(session.id, 'USER_SIGNED_OUT', NOW)), true);
      assert.equal(await store.read((rs) => rs.loginSessions.revoke(session.id, 'ADMIN_REVOKED', NOW + 1)), false);
      assert.deepEqual(await store.read((rs) => rs.loginSessions.find(session.id)), { ...session, revoked_at: NOW, revoke_reason: 'USER_SIGNED_OUT' });
      assert.equal(await store.read((rs) => rs.loginSessions.revoke('unknown', 'USER_SIGNED_OUT', NOW)), false);
    });

    test('listActive: neither revoked nor expired, newest first, by account and principal, limited', async (store) => {
      const { users } = await seedAccount(store, ['alice', 'bob']);
      const [alice, bob] = users;
      await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: null, root_email: 'b@example.com' })));
      const carol = user('carol', { account_id: OTHER_ACCOUNT_ID });
      await store.read((rs) => rs.directory.createPrincipal(carol));
      for (const session of [
        loginSession('alice-old', alice!, { created_at: T0 }),
        loginSession('alice-new', alice!, { created_at: T0 + MINUTE }),
        loginSession('bob', bob!, { created_at: T0 + 2 * MINUTE }),
        loginSession('carol', carol, { created_at: T0 + 3 * MINUTE }),
        loginSession('expired', alice!, { expires_at: NOW }),
        loginSession('revoked', alice!),
      ]) {
        await store.read((rs) => rs.loginSessions.create(session));
      }
      await store.read((rs) => rs.loginSessions.revoke('revoked', 'USER_SIGNED_OUT', T0));
      const ids = async (filter: { accountId?: string; principalId?: string; limit?: number }) =>
        (await store.read((rs) => rs.loginSessions.listActive({ now: NOW, ...filter }))).map((session) => session.id);

      // 'expired' (expires_at = now) and 'revoked' never appear.
      assert.deepEqual(await ids({}), ['carol', 'bob', 'alice-new', 'alice-old']);
      assert.deepEqual(await ids({ accountId: alice!.account_id }), ['bob', 'alice-new', 'alice-old']);
      assert.deepEqual(await ids({ principalId: alice!.id }), ['alice-new', 'alice-old']);
      assert.deepEqual(await ids({ accountId: OTHER_ACCOUNT_ID, principalId: alice!.id }), []);
      assert.deepEqual(await ids({ limit: 2 }), ['carol', 'bob']);
    });

    test('a refresh token reads back exactly as written', async (store) => {
      const { session } = await seedLoginSession(store, 'rt-0');
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-0')), refreshToken('rt-0', session.id));
      assert.equal(await store.read((rs) => rs.loginSessions.findRefreshToken('unknown')), undefined);
    });

    test('findRefreshGrant: the token, its session and the principal\'s password state in one read', async (store) => {
      const { principal, session } = await seedLoginSession(store, 'rt-0');
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findRefreshGrant('rt-0')), {
        token: refreshToken('rt-0', session.id),
        session,
        principal: { password_changed_at: principal.password_changed_at },
      });
      await store.read((rs) => rs.directory.setPassword(principal.id, 'hash-2', NOW));
      await store.transaction((tx) => tx.loginSessions.rotate({ digest: 'rt-0', now: NOW, replaySealed: 'k1.sealed-reply', successorDigest: 'rt-1', credential: credential('ASIAGRANTREAD0000001', session.id) }));
      await store.read((rs) => rs.loginSessions.revoke(session.id, 'USER_SIGNED_OUT', NOW));
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findRefreshGrant('rt-0')), {
        token: { ...refreshToken('rt-0', session.id), consumed_at: NOW, replay_sealed: 'k1.sealed-reply' },
        session: { ...session, revoked_at: NOW, revoke_reason: 'USER_SIGNED_OUT' },
        principal: { password_changed_at: NOW },
      });
      assert.equal(await store.read((rs) => rs.loginSessions.findRefreshGrant('unknown')), undefined);
    });

    const rotation = (i: number, sessionId: string, withEvent = true) => ({
      digest: 'rt-0',
      now: NOW + i,
      replaySealed: `reply-${i}`,
      successorDigest: `rt-1-${i}`,
      credential: credential(`ASIAROTATION${String(i).padStart(6, '0')}`, sessionId, { issued_at: NOW + i }),
      event: withEvent ? auditEvent(`event-${i}`, { event_name: 'CreateOAuth2Token', access_key_id: `ASIAROTATION${String(i).padStart(6, '0')}` }) : undefined,
    });

    test('rotate consumes the token and only then writes the successor, the credential and its event', async (store) => {
      const { session } = await seedLoginSession(store, 'rt-0');
      const first = rotation(1, session.id);
      assert.equal(await store.transaction((tx) => tx.loginSessions.rotate(first)), true);
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-0')), { ...refreshToken('rt-0', session.id), consumed_at: NOW + 1, replay_sealed: 'reply-1' });
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-1-1')), refreshToken('rt-1-1', session.id, { created_at: NOW + 1 }));
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findCredential(first.credential.access_key_id)), { credential: first.credential, session });
      const [event] = await store.read((rs) => rs.audit.list({}));
      assert.deepEqual({ ...event, seq: undefined, export_batch: undefined }, { ...first.event, seq: undefined, export_batch: undefined });

      // Spent: a second rotation writes nothing at all.
      const second = rotation(2, session.id);
      assert.equal(await store.transaction((tx) => tx.loginSessions.rotate(second)), false);
      assert.equal(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-1-2')), undefined);
      assert.equal(await store.read((rs) => rs.loginSessions.findCredential(second.credential.access_key_id)), undefined);
      assert.deepEqual((await store.read((rs) => rs.audit.list({}))).map((e) => e.event_id), ['event-1']);
      assert.equal((await store.read((rs) => rs.loginSessions.findRefreshToken('rt-0')))?.replay_sealed, 'reply-1', 'the loser overwrote nothing');
      assert.equal(await store.transaction((tx) => tx.loginSessions.rotate({ ...rotation(3, session.id), digest: 'unknown' })), false);
    });

    test('rotate without an event writes none', async (store) => {
      const { session } = await seedLoginSession(store, 'rt-0');
      assert.equal(await store.transaction((tx) => tx.loginSessions.rotate(rotation(1, session.id, false))), true);
      assert.ok(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-1-1')));
      assert.deepEqual(await store.read((rs) => rs.audit.list({})), []);
    });

    test('10 concurrent rotations of one token, each in a transaction: one successor, one credential, one event', async (store) => {
      const { session } = await seedLoginSession(store, 'rt-0');
      // PostgreSQL runs them side by side, all having read the unspent token; SQLite one at a time.
      const allHaveRead = barrier(store.dialect === 'postgres' ? 10 : 1);
      const rotated = await concurrently(10, (i) =>
        store.transaction(async (tx) => {
          if ((await tx.loginSessions.findRefreshGrant('rt-0'))?.token.consumed_at !== null) return false;
          await allHaveRead();
          return tx.loginSessions.rotate(rotation(i, session.id));
        }),
      );
      assert.equal(rotated.filter(Boolean).length, 1);
      const winner = rotated.indexOf(true);
      const credentials = await concurrently(10, (i) => store.read((rs) => rs.loginSessions.findCredential(rotation(i, session.id).credential.access_key_id)));
      assert.deepEqual(credentials.flatMap((c) => (c ? [c.credential.access_key_id] : [])), [rotation(winner, session.id).credential.access_key_id]);
      assert.deepEqual((await store.read((rs) => rs.audit.list({}))).map((e) => e.event_id), [`event-${winner}`]);
      const successors = await concurrently(10, (i) => store.read((rs) => rs.loginSessions.findRefreshToken(`rt-1-${i}`)));
      assert.deepEqual(successors.flatMap((t) => (t ? [t.digest] : [])), [`rt-1-${winner}`]);
    });

    test('findCredential joins the session and returns exactly the written fields', async (store) => {
      const { session } = await seedLoginSession(store);
      const issued = credential('ASIAEXAMPLE0000001', session.id);
      await store.read((rs) => rs.loginSessions.insertCredential(issued));
      await store.read((rs) => rs.loginSessions.insertCredential(credential('ASIAEXAMPLE0000002', session.id, { issued_at: T0 + MINUTE })));
      assert.deepEqual(await store.read((rs) => rs.loginSessions.findCredential(issued.access_key_id)), { credential: issued, session });
      assert.equal(await store.read((rs) => rs.loginSessions.findCredential('ASIAUNKNOWN')), undefined);

      await store.read((rs) => rs.loginSessions.revoke(session.id, 'USER_SIGNED_OUT', NOW));
      const afterRevoke = await store.read((rs) => rs.loginSessions.findCredential(issued.access_key_id));
      assert.equal(afterRevoke?.session.revoked_at, NOW, 'the session state is read fresh, not copied at issue');
    });

    test('rows must belong to an existing login session (foreign keys enforced)', async (store) => {
      await seedLoginSession(store);
      await assert.rejects(store.read((rs) => rs.loginSessions.insertRefreshToken(refreshToken('orphan', 'no-such-session'))));
      await assert.rejects(store.read((rs) => rs.loginSessions.insertCredential(credential('ASIAORPHAN', 'no-such-session'))));
    });
  });
}
