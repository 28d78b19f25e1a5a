// IAM: managed policies and versions, inline policies, attachments, groups, roles, tags, users as
// IAM lists them, and the generation counters the authorizer's cache is keyed by.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { IamGroup, IamPolicy, IamRole, Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, OTHER_ACCOUNT_ID, T0, concurrently, consoleSession, credential, loginSession, refreshToken, seedAccount, user, withFreshStore } from './fixtures.ts';

const DOC = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

export const policyRow = (name: string, over: Partial<IamPolicy> = {}): IamPolicy => ({
  id: `ANPA${name.toUpperCase().padEnd(17, 'X')}`,
  account_id: ACCOUNT_ID,
  name,
  path: '/',
  arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`,
  description: null,
  default_version_id: 'v1',
  next_version: 2,
  created_at: T0,
  updated_at: T0,
  ...over,
});

const groupRow = (name: string, over: Partial<IamGroup> = {}): IamGroup => ({
  id: `AGPA${name.toUpperCase().padEnd(17, 'X')}`,
  account_id: ACCOUNT_ID,
  name,
  path: '/',
  arn: `arn:aws:iam::${ACCOUNT_ID}:group/${name}`,
  created_at: T0,
  ...over,
});

const roleRow = (name: string, over: Partial<IamRole> = {}): IamRole => ({
  id: `AROA${name.toUpperCase().padEnd(17, 'X')}`,
  account_id: ACCOUNT_ID,
  name,
  path: '/',
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
  description: null,
  trust_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}',
  max_session_seconds: 3600,
  created_at: T0,
  ...over,
});

async function seedPolicy(store: Store, name: string, over: Partial<IamPolicy> = {}): Promise<IamPolicy> {
  const policy = policyRow(name, over);
  await store.read((rs) => rs.iamPolicies.create(policy, { policy_id: policy.id, version_id: 'v1', document: DOC('s3:GetObject'), created_at: T0 }));
  return policy;
}

export function iamContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('iam policies', () => {
    test('create, find by ARN and by name in any case, list by name after a marker and by path', async (store) => {
      await seedAccount(store);
      const beta = await seedPolicy(store, 'Beta', { path: '/team_%/' });
      const alpha = await seedPolicy(store, 'Alpha');
      assert.deepEqual(await store.read((rs) => rs.iamPolicies.findByArn(alpha.arn)), alpha);
      assert.deepEqual(await store.read((rs) => rs.iamPolicies.findByName(ACCOUNT_ID, 'ALPHA')), alpha);
      assert.equal(await store.read((rs) => rs.iamPolicies.findByName(OTHER_ACCOUNT_ID, 'Alpha')), undefined);
      assert.deepEqual((await store.read((rs) => rs.iamPolicies.list({ accountId: ACCOUNT_ID, limit: 10 }))).map((p) => p.name), ['Alpha', 'Beta']);
      assert.deepEqual((await store.read((rs) => rs.iamPolicies.list({ accountId: ACCOUNT_ID, after: 'Alpha', limit: 10 }))).map((p) => p.name), ['Beta']);
      assert.deepEqual((await store.read((rs) => rs.iamPolicies.list({ accountId: ACCOUNT_ID, limit: 1 }))).map((p) => p.name), ['Alpha']);
      // `%` and `_` in a path prefix are characters, not wildcards.
      assert.deepEqual((await store.read((rs) => rs.iamPolicies.list({ accountId: ACCOUNT_ID, pathPrefix: '/team_%', limit: 10 }))).map((p) => p.id), [beta.id]);
      assert.deepEqual(await store.read((rs) => rs.iamPolicies.list({ accountId: ACCOUNT_ID, pathPrefix: '/teamX', limit: 10 })), []);
    });

    test('a second policy of the same name in any case is refused', async (store) => {
      await seedAccount(store);
      await seedPolicy(store, 'Alpha');
      await assert.rejects(seedPolicy(store, 'ALPHA', { id: 'ANPAOTHERXXXXXXXXXXXX', arn: `arn:aws:iam::${ACCOUNT_ID}:policy/ALPHA` }));
    });

    test('addVersion numbers versions, moves the default when asked, and has one winner per number', async (store) => {
      await seedAccount(store);
      const policy = await seedPolicy(store, 'Alpha');
      const v2 = await store.read((rs) => rs.iamPolicies.addVersion(policy, DOC('s3:*'), false, T0 + HOUR));
      assert.deepEqual(v2, { policy_id: policy.id, version_id: 'v2', document: DOC('s3:*'), created_at: T0 + HOUR });
      const stale = await store.read((rs) => rs.iamPolicies.addVersion(policy, DOC('ec2:*'), true, T0 + HOUR));
      assert.equal(stale, undefined, 'a writer holding an old counter loses');
      const current = (await store.read((rs) => rs.iamPolicies.findByArn(policy.arn)))!;
      assert.equal(current.default_version_id, 'v1');
      assert.equal(current.next_version, 3);
      const v3 = await store.read((rs) => rs.iamPolicies.addVersion(current, DOC('ec2:*'), true, T0 + 2 * HOUR));
      assert.equal(v3?.version_id, 'v3');
      assert.equal((await store.read((rs) => rs.iamPolicies.findByArn(policy.arn)))?.default_version_id, 'v3');
      assert.deepEqual((await store.read((rs) => rs.iamPolicies.versions(policy.id))).map((v) => v.version_id), ['v1', 'v2', 'v3']);
      assert.equal((await store.read((rs) => rs.iamPolicies.findVersion(policy.id, 'v2')))?.document, DOC('s3:*'));
    });

    test('concurrent addVersion from one read: exactly one succeeds', async (store) => {
      await seedAccount(store);
      const policy = await seedPolicy(store, 'Alpha');
      const added = await concurrently(8, (i) => store.transaction((tx) => tx.iamPolicies.addVersion(policy, DOC(`s3:Get${i}`), true, T0)));
      assert.equal(added.filter(Boolean).length, 1);
      assert.equal((await store.read((rs) => rs.iamPolicies.versions(policy.id))).length, 2);
    });

    test('deleteVersion refuses the default; setDefaultVersion moves it; delete removes versions and tags', async (store) => {
      await seedAccount(store);
      const policy = await seedPolicy(store, 'Alpha');
      await store.read((rs) => rs.iamPolicies.addVersion(policy, DOC('s3:*'), false, T0));
      assert.equal(await store.read((rs) => rs.iamPolicies.deleteVersion(policy.id, 'v1')), false, 'the default');
      assert.equal(await store.read((rs) => rs.iamPolicies.setDefaultVersion(policy.id, 'v2', T0 + HOUR)), true);
      assert.equal(await store.read((rs) => rs.iamPolicies.deleteVersion(policy.id, 'v1')), true);
      assert.equal(await store.read((rs) => rs.iamPolicies.deleteVersion(policy.id, 'v1')), false, 'already gone');
      await store.read((rs) => rs.iamTags.put(policy.id, { team: 'a' }));
      assert.equal(await store.read((rs) => rs.iamPolicies.delete(policy.id)), true);
      assert.equal(await store.read((rs) => rs.iamPolicies.findByArn(policy.arn)), undefined);
      assert.deepEqual(await store.read((rs) => rs.iamPolicies.versions(policy.id)), []);
      assert.deepEqual(await store.read((rs) => rs.iamTags.list(policy.id)), {});
    });
  });

  describe('iam inline policies and attachments', () => {
    test('putInline creates then replaces; list, find and delete by owner', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.iamPrincipalPolicies.putInline({ owner_id: alice, owner_type: 'user', account_id: ACCOUNT_ID, name: 'b', document: DOC('s3:*'), updated_at: T0 }));
      await store.read((rs) => rs.iamPrincipalPolicies.putInline({ owner_id: alice, owner_type: 'user', account_id: ACCOUNT_ID, name: 'a', document: DOC('s3:*'), updated_at: T0 }));
      await store.read((rs) => rs.iamPrincipalPolicies.putInline({ owner_id: alice, owner_type: 'user', account_id: ACCOUNT_ID, name: 'b', document: DOC('ec2:*'), updated_at: T0 + HOUR }));
      assert.deepEqual((await store.read((rs) => rs.iamPrincipalPolicies.listInline(alice))).map((p) => [p.name, p.document]), [['a', DOC('s3:*')], ['b', DOC('ec2:*')]]);
      assert.equal((await store.read((rs) => rs.iamPrincipalPolicies.findInline(alice, 'b')))?.updated_at, T0 + HOUR);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.deleteInline(alice, 'b')), true);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.deleteInline(alice, 'b')), false);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.findInline(alice, 'b')), undefined);
    });

    test('attach is idempotent, detach says whether there was one, counts are per account', async (store) => {
      const { users } = await seedAccount(store, ['alice', 'bob']);
      const arn = 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess';
      const row = (ownerId: string) => ({ owner_id: ownerId, owner_type: 'user' as const, account_id: ACCOUNT_ID, policy_arn: arn, attached_at: T0 });
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.attach(row(users[0]!.id))), true);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.attach(row(users[0]!.id))), false);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.attach(row(users[1]!.id))), true);
      assert.deepEqual(await store.read((rs) => rs.iamPrincipalPolicies.attachmentCounts(ACCOUNT_ID)), new Map([[arn, 2]]));
      assert.deepEqual((await store.read((rs) => rs.iamPrincipalPolicies.attachmentsOf(arn, ACCOUNT_ID))).length, 2);
      assert.deepEqual(await store.read((rs) => rs.iamPrincipalPolicies.attachmentsOf(arn, OTHER_ACCOUNT_ID)), []);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.detach(users[0]!.id, arn)), true);
      assert.equal(await store.read((rs) => rs.iamPrincipalPolicies.detach(users[0]!.id, arn)), false);
      assert.deepEqual((await store.read((rs) => rs.iamPrincipalPolicies.listAttached(users[1]!.id))).map((a) => a.policy_arn), [arn]);
      await store.read((rs) => rs.iamPrincipalPolicies.deleteAllOf(users[1]!.id));
      assert.deepEqual(await store.read((rs) => rs.iamPrincipalPolicies.listAttached(users[1]!.id)), []);
    });

    test('20 concurrent attaches of one policy to one user: exactly one reports it attached', async (store) => {
      const { users } = await seedAccount(store);
      const arn = 'arn:aws:iam::aws:policy/IAMFullAccess';
      const results = await concurrently(20, () =>
        store.read((rs) => rs.iamPrincipalPolicies.attach({ owner_id: users[0]!.id, owner_type: 'user', account_id: ACCOUNT_ID, policy_arn: arn, attached_at: T0 })),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });

  describe('iam groups, roles, users and tags', () => {
    test('groups: create, find in any case, members both ways, delete with its memberships', async (store) => {
      const { users } = await seedAccount(store, ['alice', 'bob']);
      const devs = groupRow('Devs');
      const ops = groupRow('ops', { path: '/eng/' });
      await store.read((rs) => rs.iamGroups.create(devs));
      await store.read((rs) => rs.iamGroups.create(ops));
      await assert.rejects(store.read((rs) => rs.iamGroups.create(groupRow('DEVS', { id: 'AGPAOTHERXXXXXXXXXXXX', arn: 'x' }))), 'same name, other case');
      assert.deepEqual(await store.read((rs) => rs.iamGroups.findByName(ACCOUNT_ID, 'devs')), devs);
      assert.deepEqual((await store.read((rs) => rs.iamGroups.list({ accountId: ACCOUNT_ID, pathPrefix: '/eng/', limit: 10 }))).map((g) => g.name), ['ops']);
      assert.equal(await store.read((rs) => rs.iamGroups.addMember(devs.id, users[1]!.id, T0)), true);
      assert.equal(await store.read((rs) => rs.iamGroups.addMember(devs.id, users[0]!.id, T0)), true);
      assert.equal(await store.read((rs) => rs.iamGroups.addMember(devs.id, users[0]!.id, T0)), false);
      await store.read((rs) => rs.iamGroups.addMember(ops.id, users[0]!.id, T0));
      assert.deepEqual((await store.read((rs) => rs.iamGroups.members(devs.id))).map((u) => u.name), ['alice', 'bob']);
      assert.deepEqual((await store.read((rs) => rs.iamGroups.groupsOf(users[0]!.id))).map((g) => g.name), ['Devs', 'ops']);
      assert.equal(await store.read((rs) => rs.iamGroups.removeMember(devs.id, users[1]!.id)), true);
      assert.equal(await store.read((rs) => rs.iamGroups.removeMember(devs.id, users[1]!.id)), false);
      assert.equal(await store.read((rs) => rs.iamGroups.delete(devs.id)), true);
      assert.deepEqual((await store.read((rs) => rs.iamGroups.groupsOf(users[0]!.id))).map((g) => g.name), ['ops']);
    });

    test('roles: create, find in any case, list, update the trust policy and settings, delete', async (store) => {
      await seedAccount(store);
      const admin = roleRow('Admin');
      await store.read((rs) => rs.iamRoles.create(admin));
      await store.read((rs) => rs.iamRoles.create(roleRow('reader', { path: '/ro/' })));
      assert.deepEqual(await store.read((rs) => rs.iamRoles.findByName(ACCOUNT_ID, 'ADMIN')), admin);
      assert.deepEqual((await store.read((rs) => rs.iamRoles.list({ accountId: ACCOUNT_ID, after: 'Admin', limit: 10 }))).map((r) => r.name), ['reader']);
      assert.equal(await store.read((rs) => rs.iamRoles.updateTrustPolicy(admin.id, '{"x":1}')), true);
      assert.equal(await store.read((rs) => rs.iamRoles.update(admin.id, { max_session_seconds: 43_200, description: 'd' })), true);
      const updated = await store.read((rs) => rs.iamRoles.findByName(ACCOUNT_ID, 'Admin'));
      assert.deepEqual([updated?.trust_policy, updated?.max_session_seconds, updated?.description], ['{"x":1}', 43_200, 'd']);
      assert.equal(await store.read((rs) => rs.iamRoles.delete(admin.id)), true);
      assert.equal(await store.read((rs) => rs.iamRoles.findByName(ACCOUNT_ID, 'Admin')), undefined);
    });

    test('users: found by name in any case, listed by path and marker; root is never a user', async (store) => {
      await seedAccount(store, ['carol', 'alice']);
      await store.read((rs) => rs.directory.createPrincipal(user('bob', { arn: `arn:aws:iam::${ACCOUNT_ID}:user/eng/bob` })));
      assert.equal((await store.read((rs) => rs.iamUsers.findByName(ACCOUNT_ID, 'ALICE')))?.name, 'alice');
      assert.deepEqual((await store.read((rs) => rs.iamUsers.list({ accountId: ACCOUNT_ID, limit: 10 }))).map((u) => u.name), ['alice', 'bob', 'carol']);
      assert.deepEqual((await store.read((rs) => rs.iamUsers.list({ accountId: ACCOUNT_ID, pathPrefix: '/eng/', limit: 10 }))).map((u) => u.name), ['bob']);
      assert.deepEqual((await store.read((rs) => rs.iamUsers.list({ accountId: ACCOUNT_ID, after: 'bob', limit: 1 }))).map((u) => u.name), ['carol']);
    });

    test('clearPassword removes the login profile once and moves password_changed_at', async (store) => {
      const { users } = await seedAccount(store);
      assert.equal(await store.read((rs) => rs.iamUsers.clearPassword(users[0]!.id, T0 + HOUR)), true);
      const alice = await store.read((rs) => rs.directory.findPrincipal(users[0]!.id));
      assert.deepEqual([alice?.password_hash, alice?.password_changed_at], [null, T0 + HOUR]);
      assert.equal(await store.read((rs) => rs.iamUsers.clearPassword(users[0]!.id, T0 + 2 * HOUR)), false);
    });

    test('deleteCascade removes the user with its sessions, credentials, memberships, tags and policies', async (store) => {
      const { users, root } = await seedAccount(store, ['alice', 'bob']);
      const alice = users[0]!;
      const group = groupRow('devs');
      await store.read((rs) => rs.iamGroups.create(group));
      await store.read((rs) => rs.iamGroups.addMember(group.id, alice.id, T0));
      await store.read((rs) => rs.iamTags.put(alice.id, { team: 'a' }));
      await store.read((rs) => rs.iamPrincipalPolicies.attach({ owner_id: alice.id, owner_type: 'user', account_id: ACCOUNT_ID, policy_arn: 'arn:aws:iam::aws:policy/IAMFullAccess', attached_at: T0 }));
      const cs = consoleSession('console-a', alice);
      await store.read((rs) => rs.consoleSessions.create(cs));
      await store.read((rs) => rs.loginSessions.create(loginSession('login-a', alice, { console_session_id: cs.id })));
      await store.read((rs) => rs.loginSessions.insertRefreshToken(refreshToken('rt-a', 'login-a')));
      await store.read((rs) => rs.loginSessions.insertCredential(credential('ASIAALICE', 'login-a')));
      await store.read((rs) => rs.loginSessions.create(loginSession('login-b', users[1]!)));
      assert.equal(await store.transaction((tx) => tx.iamUsers.deleteCascade(alice.id)), true);
      assert.equal(await store.read((rs) => rs.directory.findPrincipal(alice.id)), undefined);
      assert.equal(await store.read((rs) => rs.loginSessions.find('login-a')), undefined);
      assert.equal(await store.read((rs) => rs.loginSessions.findCredential('ASIAALICE')), undefined);
      assert.equal(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-a')), undefined);
      assert.deepEqual(await store.read((rs) => rs.iamGroups.members(group.id)), []);
      assert.deepEqual(await store.read((rs) => rs.iamTags.list(alice.id)), {});
      assert.ok(await store.read((rs) => rs.loginSessions.find('login-b')), "another user's session stays");
      assert.equal(await store.read((rs) => rs.iamUsers.deleteCascade(root.id)), false, 'root is not deleted this way');
    });

    test('tags: put adds and replaces, remove takes keys away', async (store) => {
      await seedAccount(store);
      await store.read((rs) => rs.iamTags.put('AIDAX', { team: 'a', env: 'dev' }));
      await store.read((rs) => rs.iamTags.put('AIDAX', { team: 'b' }));
      assert.deepEqual(await store.read((rs) => rs.iamTags.list('AIDAX')), { env: 'dev', team: 'b' });
      await store.read((rs) => rs.iamTags.remove('AIDAX', ['env', 'nope']));
      await store.read((rs) => rs.iamTags.remove('AIDAX', []));
      assert.deepEqual(await store.read((rs) => rs.iamTags.list('AIDAX')), { team: 'b' });
    });
  });

  describe('policy state', () => {
    test('generations start at 0 and each bump moves its scope only', async (store) => {
      await seedAccount(store);
      assert.deepEqual(await store.read((rs) => rs.policyState.generations(ACCOUNT_ID)), { account: 0, org: 0 });
      await store.read((rs) => rs.policyState.bump([`account:${ACCOUNT_ID}`]));
      await store.read((rs) => rs.policyState.bump([`account:${ACCOUNT_ID}`, 'org', 'org']));
      await store.read((rs) => rs.policyState.bump([`account:${OTHER_ACCOUNT_ID}`]));
      assert.deepEqual(await store.read((rs) => rs.policyState.generations(ACCOUNT_ID)), { account: 2, org: 1 });
      assert.deepEqual(await store.read((rs) => rs.policyState.generations(OTHER_ACCOUNT_ID)), { account: 1, org: 1 });
    });

    test('concurrent bumps are all counted', async (store) => {
      await concurrently(10, () => store.transaction((tx) => tx.policyState.bump(['org'])));
      assert.equal((await store.read((rs) => rs.policyState.generations(ACCOUNT_ID))).org, 10);
    });

    test('attachedOf joins each attachment to its default version; AWS-managed ones have no document', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      const policy = await seedPolicy(store, 'Alpha');
      await store.read((rs) => rs.iamPolicies.addVersion(policy, DOC('s3:*'), true, T0));
      const attach = (arn: string, ownerId = alice) => store.read((rs) => rs.iamPrincipalPolicies.attach({ owner_id: ownerId, owner_type: 'user', account_id: ACCOUNT_ID, policy_arn: arn, attached_at: T0 }));
      await attach(policy.arn);
      await attach('arn:aws:iam::aws:policy/IAMFullAccess');
      await attach('arn:aws:iam::aws:policy/IAMFullAccess', 'AGPAGROUP');
      const rows = await store.read((rs) => rs.policyState.attachedOf([alice, 'AGPAGROUP']));
      assert.deepEqual(
        rows.map((r) => [r.owner_id, r.policy_arn, r.document]),
        [
          ['AGPAGROUP', 'arn:aws:iam::aws:policy/IAMFullAccess', null],
          [alice, policy.arn, DOC('s3:*')],
          [alice, 'arn:aws:iam::aws:policy/IAMFullAccess', null],
        ],
      );
      await store.read((rs) => rs.iamPrincipalPolicies.putInline({ owner_id: alice, owner_type: 'user', account_id: ACCOUNT_ID, name: 'x', document: DOC('ec2:*'), updated_at: T0 }));
      assert.deepEqual((await store.read((rs) => rs.policyState.inlineOf([alice, 'AGPAGROUP']))).map((r) => r.name), ['x']);
      assert.deepEqual(await store.read((rs) => rs.policyState.inlineOf([])), []);
      assert.deepEqual(await store.read((rs) => rs.policyState.attachedOf([])), []);
    });
  });
}
