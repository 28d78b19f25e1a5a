// MFA devices: enrolment, confirmation and the spent-step check, each one conditional write.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { HOUR, MINUTE, T0, concurrently, seedAccount, withFreshStore } from './fixtures.ts';

/** A time step near T0 / 30 s: well past 2^32 / 30, as real steps are not. */
const STEP = 59_848_904;

export function mfaDevicesContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('mfa devices', () => {
    test('startEnrolment creates a pending device, and restarting replaces its secret', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      assert.equal(await store.read((rs) => rs.mfaDevices.find(alice)), undefined);
      assert.equal(await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.first', T0)), true);
      assert.deepEqual(await store.read((rs) => rs.mfaDevices.find(alice)), { principal_id: alice, secret_sealed: 'k1.first', created_at: T0, enabled_at: null, last_used_step: null });
      assert.equal(await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.second', T0 + MINUTE)), true);
      assert.equal((await store.read((rs) => rs.mfaDevices.find(alice)))?.secret_sealed, 'k1.second');
      assert.equal((await store.read((rs) => rs.mfaDevices.find(alice)))?.created_at, T0 + MINUTE);
    });

    test('enable needs the pending secret the code was checked against, and works once', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.first', T0));
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.second', T0));
      assert.equal(await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.first', STEP, T0 + MINUTE)), false, 'another tab restarted enrolment');
      assert.equal(await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.second', STEP, T0 + MINUTE)), true);
      assert.equal(await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.second', STEP + 1, T0 + 2 * MINUTE)), false, 'already enabled');
      assert.deepEqual(await store.read((rs) => rs.mfaDevices.find(alice)), { principal_id: alice, secret_sealed: 'k1.second', created_at: T0, enabled_at: T0 + MINUTE, last_used_step: STEP });
    });

    test('startEnrolment never replaces an enabled device', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.first', T0));
      await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.first', STEP, T0));
      assert.equal(await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.attacker', T0 + HOUR)), false);
      assert.equal((await store.read((rs) => rs.mfaDevices.find(alice)))?.secret_sealed, 'k1.first');
    });

    test('useStep: once per step, never an older step, never on a pending device', async (store) => {
      const { users, root } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.mfaDevices.startEnrolment(root.id, 'k1.root', T0));
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(root.id, STEP)), false, 'pending');
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep('nobody', STEP)), false);
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.alice', T0));
      await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.alice', STEP, T0));
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(alice, STEP)), false, 'the confirming code is spent');
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(alice, STEP + 1)), true);
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(alice, STEP + 1)), false);
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(alice, STEP - 1)), false, 'an older step');
      assert.equal(await store.read((rs) => rs.mfaDevices.useStep(alice, STEP + 3)), true);
      assert.equal((await store.read((rs) => rs.mfaDevices.find(alice)))?.last_used_step, STEP + 3);
    });

    test('20 concurrent uses of one step: exactly one succeeds', async (store) => {
      const { users } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.alice', T0));
      await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.alice', STEP, T0));
      const used = await concurrently(20, () => store.read((rs) => rs.mfaDevices.useStep(alice, STEP + 1)));
      assert.equal(used.filter(Boolean).length, 1);
    });

    test('remove deletes an enabled or pending device, and says whether there was one', async (store) => {
      const { users, root } = await seedAccount(store);
      const alice = users[0]!.id;
      await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.alice', T0));
      await store.read((rs) => rs.mfaDevices.enable(alice, 'k1.alice', STEP, T0));
      await store.read((rs) => rs.mfaDevices.startEnrolment(root.id, 'k1.root', T0));
      assert.equal(await store.read((rs) => rs.mfaDevices.remove(alice)), true);
      assert.equal(await store.read((rs) => rs.mfaDevices.remove(alice)), false);
      assert.equal(await store.read((rs) => rs.mfaDevices.remove(root.id)), true);
      assert.equal(await store.read((rs) => rs.mfaDevices.find(alice)), undefined);
      // After removal a new enrolment may start.
      assert.equal(await store.read((rs) => rs.mfaDevices.startEnrolment(alice, 'k1.new', T0 + HOUR)), true);
    });
  });
}
