// STS role sessions (migration 0008): a role session, its STS facts and its credential written
// together and read back in the credential's one join; revoking a role's older sessions in one
// conditional write; an OpenID provider's audiences.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { IamRole, OidcProvider, StsSession } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, MINUTE, T0, credential, loginSession, seedAccount, withFreshStore } from './fixtures.ts';

const role: IamRole = {
  id: 'AROASTSCONTRACT00001',
  account_id: ACCOUNT_ID,
  name: 'deployer',
  path: '/ci/',
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/ci/deployer`,
  description: null,
  trust_policy: '{"Version":"2012-10-17","Statement":[]}',
  max_session_seconds: 3600,
  created_at: T0,
};

const sts = (loginSessionId: string, over: Partial<StsSession> = {}): StsSession => ({
  login_session_id: loginSessionId,
  operation: 'AssumeRole',
  source_identity: 'alice',
  session_policy: '{"Version":"2012-10-17","Statement":[]}',
  session_policy_arns: '["arn:aws:iam::aws:policy/ReadOnlyAccess"]',
  tags: '{"team":"infra"}',
  transitive_tag_keys: '["team"]',
  federated_provider: null,
  created_at: T0,
  ...over,
});

export function stsSessionsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('sts sessions', () => {
    test('a role session, its STS facts and its credential are read back together', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.iamRoles.create(role));
      const principal = await store.read((rs) => rs.federation.rolePrincipal(role, T0));
      const session = loginSession('sts-1', principal, { arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/build`, console_session_id: '', client_id: 'sts.amazonaws.com', jkt: '', password_changed_at: null, expires_at: T0 + HOUR });
      await store.transaction((tx) => tx.stsSessions.issue({ session, sts: sts('sts-1'), credential: credential('ASIASTSCONTRACT00001', 'sts-1', { expires_at: T0 + HOUR }) }));
      const found = await store.read((rs) => rs.loginSessions.findCredential('ASIASTSCONTRACT00001'));
      assert.deepEqual(found?.session, session);
      assert.deepEqual(found?.sts, sts('sts-1'));
      assert.deepEqual(await store.read((rs) => rs.stsSessions.find('sts-1')), sts('sts-1'));
      // A login session's credential has no STS facts.
      const plain = loginSession('login-1', principal);
      await store.read((rs) => rs.loginSessions.create(plain));
      await store.read((rs) => rs.loginSessions.insertCredential(credential('ASIALOGINSESSION0001', 'login-1')));
      const login = await store.read((rs) => rs.loginSessions.findCredential('ASIALOGINSESSION0001'));
      assert.equal(login?.sts, undefined);
      assert.equal('sts' in login!, false);
    });

    test('revoking a role’s sessions begun before a time leaves later ones and other roles’ alone', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.iamRoles.create(role));
      const principal = await store.read((rs) => rs.federation.rolePrincipal(role, T0));
      for (const [id, created] of [['old-1', T0], ['old-2', T0 + MINUTE], ['new-1', T0 + 10 * MINUTE]] as const) {
        await store.read((rs) => rs.loginSessions.create(loginSession(id, principal, { created_at: created })));
      }
      const before = store.revocations.generation;
      assert.equal(await store.read((rs) => rs.stsSessions.revokeRoleSessions(role.id, T0 + 5 * MINUTE, 'revoke older sessions', T0 + 20 * MINUTE)), 2);
      assert.ok(store.revocations.generation > before, 'credential caches are told');
      assert.equal((await store.read((rs) => rs.loginSessions.find('old-1')))?.revoke_reason, 'revoke older sessions');
      assert.equal((await store.read((rs) => rs.loginSessions.find('new-1')))?.revoked_at, null);
      assert.equal(await store.read((rs) => rs.stsSessions.revokeRoleSessions(role.id, T0 + 5 * MINUTE, 'again', T0 + 21 * MINUTE)), 0, 'already revoked');
    });

    test('an OpenID provider’s audiences: its client id first, each once, gone with it', async (store) => {
      await seedAccount(store);
      const provider: OidcProvider = { id: 'p-1', account_id: ACCOUNT_ID, issuer: 'https://token.example.com', path: 'token.example.com', arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.example.com`, display_name: 'token.example.com', client_id: 'first', client_secret_sealed: '', created_at: T0 };
      await store.read((rs) => rs.federation.createProvider(provider, ['first', 'second', 'first']));
      assert.deepEqual(await store.read((rs) => rs.federation.audiencesOf('p-1')), ['first', 'second']);
      assert.equal(await store.read((rs) => rs.federation.addAudience('p-1', 'third', T0 + 1)), true);
      assert.equal(await store.read((rs) => rs.federation.addAudience('p-1', 'third', T0 + 2)), false);
      assert.deepEqual(await store.read((rs) => rs.federation.audiencesOf('p-1')), ['first', 'second', 'third']);
      assert.equal(await store.read((rs) => rs.federation.deleteProvider('p-1')), true);
      assert.deepEqual(await store.read((rs) => rs.federation.audiencesOf('p-1')), []);
    });
  });
}
