// Organizations: the tree (root, OUs, accounts), SCPs and their attachments, root access
// management, and the SCP rows the authorizer reads.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Organization, Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { ACCOUNT_ID, HOUR, OTHER_ACCOUNT_ID, T0, account, concurrently, seedAccount, withFreshStore } from './fixtures.ts';

const ORG: Organization = { id: 'o-exampleorg1', management_account_id: ACCOUNT_ID, root_id: 'r-ex12', root_access_management: 0, created_at: T0 };
const SCP = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'signin:*', Resource: '*' }] });

async function seedOrganization(store: Store): Promise<void> {
  await seedAccount(store);
  await store.read((rs) => rs.directory.createAccount(account({ id: OTHER_ACCOUNT_ID, alias: null, root_email: 'member@example.com' })));
  await store.read((rs) => rs.organizations.create(ORG));
  await store.read((rs) => rs.organizations.addAccount({ account_id: ACCOUNT_ID, organization_id: ORG.id, parent_id: ORG.root_id, joined_at: T0, root_credentials_removed_at: null }));
}

export function organizationsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('organizations', () => {
    test('an organization is found by id and by management account; one per management account', async (store) => {
      await seedOrganization(store);
      assert.deepEqual(await store.read((rs) => rs.organizations.find(ORG.id)), ORG);
      assert.deepEqual(await store.read((rs) => rs.organizations.findByManagementAccount(ACCOUNT_ID)), ORG);
      assert.deepEqual(await store.read((rs) => rs.organizations.findByRoot(ORG.root_id)), ORG);
      assert.deepEqual(await store.read((rs) => rs.organizations.list()), [ORG]);
      assert.equal(await store.read((rs) => rs.organizations.findByManagementAccount(OTHER_ACCOUNT_ID)), undefined);
      await assert.rejects(store.read((rs) => rs.organizations.create({ ...ORG, id: 'o-another0001', root_id: 'r-an12' })));
    });

    test('OUs nest; accounts join, move and leave; membership says where an account is', async (store) => {
      await seedOrganization(store);
      await store.read((rs) => rs.organizations.createUnit({ id: 'ou-ex12-aaaaaaaa', organization_id: ORG.id, parent_id: ORG.root_id, name: 'Eng', created_at: T0 }));
      await store.read((rs) => rs.organizations.createUnit({ id: 'ou-ex12-bbbbbbbb', organization_id: ORG.id, parent_id: 'ou-ex12-aaaaaaaa', name: 'Dev', created_at: T0 + 1 }));
      await assert.rejects(store.read((rs) => rs.organizations.createUnit({ id: 'ou-ex12-cccccccc', organization_id: ORG.id, parent_id: ORG.root_id, name: 'Eng', created_at: T0 })), 'same name under one parent');
      assert.deepEqual((await store.read((rs) => rs.organizations.listUnits(ORG.id))).map((u) => u.name), ['Eng', 'Dev']);
      await store.read((rs) => rs.organizations.addAccount({ account_id: OTHER_ACCOUNT_ID, organization_id: ORG.id, parent_id: ORG.root_id, joined_at: T0 + HOUR, root_credentials_removed_at: null }));
      assert.equal(await store.read((rs) => rs.organizations.moveAccount(OTHER_ACCOUNT_ID, 'ou-ex12-bbbbbbbb')), true);
      const membership = await store.read((rs) => rs.organizations.membership(OTHER_ACCOUNT_ID));
      assert.deepEqual([membership?.organization.id, membership?.account.parent_id], [ORG.id, 'ou-ex12-bbbbbbbb']);
      assert.deepEqual((await store.read((rs) => rs.organizations.listAccounts(ORG.id))).map((a) => a.account_id), [ACCOUNT_ID, OTHER_ACCOUNT_ID]);
      await assert.rejects(store.read((rs) => rs.organizations.addAccount({ account_id: OTHER_ACCOUNT_ID, organization_id: ORG.id, parent_id: ORG.root_id, joined_at: T0, root_credentials_removed_at: null })), 'an account is in one organization');
      assert.equal(await store.read((rs) => rs.organizations.removeAccount(OTHER_ACCOUNT_ID)), true);
      assert.equal(await store.read((rs) => rs.organizations.membership(OTHER_ACCOUNT_ID)), undefined);
      assert.equal(await store.read((rs) => rs.organizations.deleteUnit('ou-ex12-bbbbbbbb')), true);
    });

    test('root access management: the org switch and the per-account removal, both reversible', async (store) => {
      await seedOrganization(store);
      assert.equal(await store.read((rs) => rs.organizations.setRootAccessManagement(ORG.id, true)), true);
      assert.equal((await store.read((rs) => rs.organizations.find(ORG.id)))?.root_access_management, 1);
      assert.equal(await store.read((rs) => rs.organizations.setRootCredentialsRemoved(ACCOUNT_ID, T0 + HOUR)), true);
      assert.equal((await store.read((rs) => rs.organizations.membership(ACCOUNT_ID)))?.account.root_credentials_removed_at, T0 + HOUR);
      assert.equal(await store.read((rs) => rs.organizations.setRootCredentialsRemoved(ACCOUNT_ID, null)), true);
      assert.equal((await store.read((rs) => rs.organizations.membership(ACCOUNT_ID)))?.account.root_credentials_removed_at, null);
      assert.equal(await store.read((rs) => rs.organizations.setRootCredentialsRemoved(OTHER_ACCOUNT_ID, T0)), false, 'not a member');
    });

    test('SCPs: create, find, rename and change, list by name, unique names, delete', async (store) => {
      await seedOrganization(store);
      const policy = { id: 'p-aaaaaaaa', organization_id: ORG.id, name: 'DenySignIn', description: '', document: SCP, created_at: T0, updated_at: T0 };
      await store.read((rs) => rs.organizations.createPolicy(policy));
      await store.read((rs) => rs.organizations.createPolicy({ ...policy, id: 'p-bbbbbbbb', name: 'Another' }));
      await assert.rejects(store.read((rs) => rs.organizations.createPolicy({ ...policy, id: 'p-cccccccc' })), 'same name');
      assert.deepEqual(await store.read((rs) => rs.organizations.findPolicy('p-aaaaaaaa')), policy);
      assert.deepEqual((await store.read((rs) => rs.organizations.findPolicyByName(ORG.id, 'DenySignIn')))?.id, 'p-aaaaaaaa');
      assert.deepEqual((await store.read((rs) => rs.organizations.listPolicies(ORG.id))).map((p) => p.name), ['Another', 'DenySignIn']);
      assert.equal(await store.read((rs) => rs.organizations.updatePolicy('p-aaaaaaaa', { document: '{}', description: 'd' }, T0 + HOUR)), true);
      const changed = await store.read((rs) => rs.organizations.findPolicy('p-aaaaaaaa'));
      assert.deepEqual([changed?.document, changed?.description, changed?.updated_at, changed?.name], ['{}', 'd', T0 + HOUR, 'DenySignIn']);
      assert.equal(await store.read((rs) => rs.organizations.deletePolicy('p-bbbbbbbb')), true);
      assert.equal(await store.read((rs) => rs.organizations.deletePolicy('p-bbbbbbbb')), false);
    });

    test('attachments: idempotent attach, detach, both directions; scpsOn joins the documents', async (store) => {
      await seedOrganization(store);
      await store.read((rs) => rs.organizations.createPolicy({ id: 'p-aaaaaaaa', organization_id: ORG.id, name: 'DenySignIn', description: '', document: SCP, created_at: T0, updated_at: T0 }));
      const attach = (policyId: string, targetId: string) => store.read((rs) => rs.organizations.attach({ policy_id: policyId, target_id: targetId, organization_id: ORG.id, attached_at: T0 }));
      assert.equal(await attach('p-FullAWSAccess', ORG.root_id), true);
      assert.equal(await attach('p-FullAWSAccess', ORG.root_id), false);
      assert.equal(await attach('p-aaaaaaaa', ACCOUNT_ID), true);
      assert.equal(await attach('p-FullAWSAccess', ACCOUNT_ID), true);
      assert.deepEqual((await store.read((rs) => rs.organizations.targetsOf('p-FullAWSAccess'))).map((a) => a.target_id), [ACCOUNT_ID, ORG.root_id]);
      assert.deepEqual((await store.read((rs) => rs.organizations.attachmentsOn([ACCOUNT_ID]))).length, 2);
      assert.deepEqual(await store.read((rs) => rs.organizations.attachmentsOn([])), []);
      const rows = await store.read((rs) => rs.policyState.scpsOn([ORG.root_id, ACCOUNT_ID]));
      // Sorted here: PostgreSQL's collation may order `p-F…` and `p-a…` differently from SQLite.
      assert.deepEqual(
        rows.map((r) => [r.target_id, r.policy_id, r.name, r.document]).sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`)),
        [
          [ACCOUNT_ID, 'p-aaaaaaaa', 'DenySignIn', SCP],
          [ACCOUNT_ID, 'p-FullAWSAccess', null, null],
          [ORG.root_id, 'p-FullAWSAccess', null, null],
        ],
      );
      assert.equal(await store.read((rs) => rs.organizations.detach('p-aaaaaaaa', ACCOUNT_ID)), true);
      assert.equal(await store.read((rs) => rs.organizations.detach('p-aaaaaaaa', ACCOUNT_ID)), false);
    });

    test('10 concurrent attaches of one SCP to one target: exactly one reports it attached', async (store) => {
      await seedOrganization(store);
      const results = await concurrently(10, () => store.read((rs) => rs.organizations.attach({ policy_id: 'p-FullAWSAccess', target_id: ACCOUNT_ID, organization_id: ORG.id, attached_at: T0 })));
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
