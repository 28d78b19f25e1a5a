// Federated sign-in: providers, authorization requests answered once in the browser that began
// them, and the principals row of a role, kept when the role is replaced by another of its name.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { IamRole, OidcProvider } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, BROWSER, MINUTE, OTHER_BROWSER, T0, concurrently, consoleSession, seedAccount, withFreshStore } from './fixtures.ts';

const provider = (over: Partial<OidcProvider> = {}): OidcProvider => ({
  id: 'oidcp-1',
  account_id: ACCOUNT_ID,
  issuer: 'https://sso.example.com',
  path: 'sso.example.com',
  arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/sso.example.com`,
  display_name: 'Acme SSO',
  client_id: 'keyless',
  client_secret_sealed: 'v1.k.sealed',
  created_at: T0,
  ...over,
});

const role = (over: Partial<IamRole> = {}): IamRole => ({
  id: 'AROAFIRSTROLE0000001',
  account_id: ACCOUNT_ID,
  name: 'Developer',
  path: '/',
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/Developer`,
  description: null,
  trust_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider().arn }, Action: 'sts:AssumeRoleWithWebIdentity' }] }),
  max_session_seconds: 3600,
  created_at: T0,
  ...over,
});

export function federationContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('federation', () => {
    test('providers are listed by account, and found by id and ARN', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.federation.createProvider(provider()));
      assert.deepEqual(await store.read((rs) => rs.federation.findProvider('oidcp-1')), provider());
      assert.deepEqual(await store.read((rs) => rs.federation.findProviderByArn(provider().arn)), provider());
      assert.deepEqual(await store.read((rs) => rs.federation.listProviders(ACCOUNT_ID)), [provider()]);
      assert.deepEqual(await store.read((rs) => rs.federation.listProviders('999999999999')), []);
      assert.equal(await store.read((rs) => rs.federation.deleteProvider('oidcp-1')), true);
      assert.deepEqual(await store.read((rs) => rs.federation.listProviders()), []);
    });

    test('an authorization request is consumed once, only by its browser, only before it expires', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.federation.createProvider(provider()));
      const request = { state_digest: 's1', provider_id: 'oidcp-1', browser_digest: BROWSER, nonce: 'n', code_verifier_sealed: 'v', return_to: null, created_at: T0, expires_at: T0 + 10 * MINUTE, consumed_at: null };
      await store.read((rs) => rs.federation.createRequest(request));
      assert.equal(await store.read((rs) => rs.federation.consumeRequest('s1', OTHER_BROWSER, T0 + MINUTE)), undefined, 'another browser');
      assert.equal(await store.read((rs) => rs.federation.consumeRequest('s1', BROWSER, T0 + 10 * MINUTE)), undefined, 'expired');
      const results = await concurrently(5, () => store.read((rs) => rs.federation.consumeRequest('s1', BROWSER, T0 + MINUTE)));
      assert.deepEqual(results.filter(Boolean), [{ ...request, consumed_at: T0 + MINUTE }], 'exactly one of five parallel callbacks wins');
    });

    test('expired authorization requests are purged, answered or not; live ones stay', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.federation.createProvider(provider()));
      const request = (state: string, expiresAt: number) => ({ state_digest: state, provider_id: 'oidcp-1', browser_digest: BROWSER, nonce: 'n', code_verifier_sealed: 'v', return_to: null, created_at: T0, expires_at: expiresAt, consumed_at: null });
      await store.read((rs) => rs.federation.createRequest(request('old', T0 + MINUTE)));
      await store.read((rs) => rs.federation.createRequest(request('live', T0 + 10 * MINUTE)));
      assert.equal(await store.read((rs) => rs.federation.purgeExpiredRequests(T0 + 2 * MINUTE)), 1);
      assert.ok(await store.read((rs) => rs.federation.consumeRequest('live', BROWSER, T0 + 2 * MINUTE)), 'the live request is still there');
      assert.equal(await store.read((rs) => rs.federation.consumeRequest('old', BROWSER, T0)), undefined);
    });

    test('roles naming an OpenID provider in their trust policy, across accounts', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.iamRoles.create(role()));
      await store.read((rs) => rs.iamRoles.create(role({ id: 'AROAOTHERROLE0000002', name: 'Ops', arn: `arn:aws:iam::${ACCOUNT_ID}:role/Ops`, trust_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}' })));
      assert.deepEqual((await store.read((rs) => rs.federation.rolesTrustingOidcProviders())).map((r) => r.name), ['Developer']);
    });

    test("a role's principals row is inserted once, follows its session duration, and steps aside for a new role of the same name", async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.iamRoles.create(role()));
      const first = await store.read((rs) => rs.federation.rolePrincipal(role(), T0));
      assert.deepEqual(first, { id: role().id, account_id: ACCOUNT_ID, kind: 'role', name: 'Developer', arn: role().arn, password_hash: null, password_changed_at: null, max_session_seconds: 3600, created_at: T0 });
      const again = await store.read((rs) => rs.federation.rolePrincipal(role({ max_session_seconds: 7200 }), T0 + MINUTE));
      assert.deepEqual(again, { ...first, max_session_seconds: 7200 }, 'the first insert time is kept');
      await store.read((rs) => rs.consoleSessions.create(consoleSession('c1', first, { arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Developer/ada` })));

      // The role is deleted and created again: a new id, the same ARN.
      await store.read((rs) => rs.iamRoles.delete(role().id));
      const replacement = role({ id: 'AROASECONDROLE000003' });
      await store.read((rs) => rs.iamRoles.create(replacement));
      const second = await store.read((rs) => rs.federation.rolePrincipal(replacement, T0 + 2 * MINUTE));
      assert.equal(second.id, replacement.id);
      assert.equal(second.arn, role().arn);
      const old = await store.read((rs) => rs.directory.findPrincipal(first.id));
      assert.equal(old?.arn, `${role().arn}#deleted:${first.id}`, 'the old row keeps its sessions under another ARN');
      assert.equal((await store.read((rs) => rs.consoleSessions.findActiveById('c1', T0)))?.principal_id, first.id);
    });
  });
}
