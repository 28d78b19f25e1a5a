// Directory: accounts, their root and IAM users.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, OTHER_ACCOUNT_ID, ROOT_EMAIL, T0, account, root, seedAccount, user, withFreshStore } from './fixtures.ts';

export function directoryContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('directory', () => {
    test('finds an account by id and by alias, exactly as written', async (store) => {
      await store.read((rs) => rs.directory.createAccount(account()));
      assert.deepEqual(await store.read((rs) => rs.directory.findAccount(ACCOUNT_ID)), account());
      assert.deepEqual(await store.read((rs) => rs.directory.findAccountByAlias('example')), account());
      assert.equal(await store.read((rs) => rs.directory.findAccount(OTHER_ACCOUNT_ID)), undefined);
      assert.equal(await store.read((rs) => rs.directory.findAccountByAlias('nope')), undefined);
    });

    test('lists accounts oldest first', async (store) => {
      await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: null, root_email: 'b@example.com', created_at: T0 + HOUR })));
      await store.read((rs) => rs.directory.createAccount(account()));
      assert.deepEqual(
        (await store.read((rs) => rs.directory.listAccounts())).map((a) => a.id),
        [ACCOUNT_ID, OTHER_ACCOUNT_ID],
      );
    });

    test('finds root by its e-mail address in any case (stored lower-case)', async (store) => {
      await seedAccount(store);
      assert.deepEqual(await store.read((rs) => rs.directory.findRootByEmail(ROOT_EMAIL)), root());
      assert.deepEqual(await store.read((rs) => rs.directory.findRootByEmail('Root@Example.COM')), root());
      assert.equal(await store.read((rs) => rs.directory.findRootByEmail('alice@example.com')), undefined);
    });

    test('finds a principal by id and a user by account and name', async (store) => {
      const { users } = await seedAccount(store, ['alice', 'bob']);
      const [alice] = users;
      assert.deepEqual(await store.read((rs) => rs.directory.findPrincipal(alice!.id)), alice);
      assert.deepEqual(await store.read((rs) => rs.directory.findUser(ACCOUNT_ID, 'alice')), alice);
      assert.equal(await store.read((rs) => rs.directory.findUser(ACCOUNT_ID, 'carol')), undefined);
      assert.equal(await store.read((rs) => rs.directory.findUser(OTHER_ACCOUNT_ID, 'alice')), undefined);
      // Root is not a user, even when asked for by its name.
      assert.equal(await store.read((rs) => rs.directory.findUser(ACCOUNT_ID, ROOT_EMAIL)), undefined);
    });

    test("lists an account's principals: root first, then users by name", async (store) => {
      await seedAccount(store, ['carol', 'alice', 'bob']);
      await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: null, root_email: 'b@example.com' })));
      await store.read((rs) => rs.directory.createPrincipal(user('aaron', { account_id: OTHER_ACCOUNT_ID })));
      assert.deepEqual(
        (await store.read((rs) => rs.directory.listPrincipals(ACCOUNT_ID))).map((p) => `${p.kind}:${p.name}`),
        [`root:${ROOT_EMAIL}`, 'user:alice', 'user:bob', 'user:carol'],
      );
    });

    test('rejects a second user of the same name in one account; another account may reuse it', async (store) => {
      await seedAccount(store, ['alice']);
      await assert.rejects(store.read((rs) => rs.directory.createPrincipal(user('alice', { id: 'AIDADIFFERENTID', arn: 'arn:aws:iam::111122223333:user/x/alice' }))));
      await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: 'other', root_email: 'b@example.com' })));
      await store.read((rs) => rs.directory.createPrincipal(user('alice', { account_id: OTHER_ACCOUNT_ID })));
      assert.equal((await store.read((rs) => rs.directory.findUser(OTHER_ACCOUNT_ID, 'alice')))?.account_id, OTHER_ACCOUNT_ID);
    });

    test('rejects a duplicate account id, alias or root e-mail', async (store) => {
      await store.read((rs) => rs.directory.createAccount(account()));
      await assert.rejects(store.read((rs) => rs.directory.createAccount(account({ alias: 'other', root_email: 'b@example.com' }))), 'same id');
      await assert.rejects(store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, root_email: 'b@example.com' }))), 'same alias');
      await assert.rejects(store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: 'other' }))), 'same e-mail');
      // Accounts without an alias do not collide with each other.
      await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: null, root_email: 'b@example.com' })));
      await store.read((rs) => rs.directory.createAccount(account({ id: '777788889999', alias: null, root_email: 'c@example.com' })));
    });

    test('setPassword replaces the hash and moves password_changed_at; unknown principal → false', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!;
      assert.equal(await store.read((rs) => rs.directory.setPassword(alice.id, '$argon2id$new', T0 + HOUR)), true);
      const changed = await store.read((rs) => rs.directory.findPrincipal(alice.id));
      assert.equal(changed?.password_hash, '$argon2id$new');
      assert.equal(changed?.password_changed_at, T0 + HOUR);
      assert.equal(await store.read((rs) => rs.directory.setPassword('AIDANOBODY', '$argon2id$x', T0)), false);
    });

    test('setMaxSessionSeconds updates one principal; unknown principal → false', async (store) => {
      const { users } = await seedAccount(store, ['alice', 'bob']);
      assert.equal(await store.read((rs) => rs.directory.setMaxSessionSeconds(users[0]!.id, 7_200)), true);
      assert.equal((await store.read((rs) => rs.directory.findPrincipal(users[0]!.id)))?.max_session_seconds, 7_200);
      assert.equal((await store.read((rs) => rs.directory.findPrincipal(users[1]!.id)))?.max_session_seconds, 3_600);
      assert.equal(await store.read((rs) => rs.directory.setMaxSessionSeconds('AIDANOBODY', 7_200)), false);
    });
  });
}
