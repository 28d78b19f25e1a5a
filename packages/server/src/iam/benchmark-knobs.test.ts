// KEYLESS_BENCHMARK_WITHOUT (bench/README.md, "A/B rows"): the composition root really switches
// off what the knob names — and only that — so the A/B rows measure what they claim to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { login, newUser, refresh } from '../testing/iam.ts';

const tokenEvents = async (h: Harness) => (await h.service.store.read((rs) => rs.audit.list({ eventName: 'CreateOAuth2Token' }))).length;

/** A harness started with KEYLESS_BENCHMARK_WITHOUT=knob for the enclosing describe. */
function harnessWithout(knob: string): () => Harness {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness({ env: { KEYLESS_BENCHMARK_WITHOUT: knob } });
  });
  after(() => h?.close());
  return () => h!;
}

describe('KEYLESS_BENCHMARK_WITHOUT', () => {
  describe('policies', () => {
    const harness = harnessWithout('policies');

    it('a user no policy allows logs in and refreshes; the refresh is still recorded', async () => {
      const h = harness();
      await newUser(h, 'nopolicy');
      const session = await login(h, 'nopolicy');
      const before = await tokenEvents(h);
      assert.equal((await refresh(h, session)).status, 200);
      assert.equal(await tokenEvents(h), before + 1);
    });
  });

  describe('token-events', () => {
    const harness = harnessWithout('token-events');

    it('a rotation records no CreateOAuth2Token event; policies still apply and the token still rotates', async () => {
      const h = harness();
      const session = await login(h, 'alice');
      const before = await tokenEvents(h);
      const first = session.refreshToken;
      assert.equal((await refresh(h, session)).status, 200);
      assert.notEqual(session.refreshToken, first);
      assert.equal(await tokenEvents(h), before);
      await newUser(h, 'nopolicy');
      await assert.rejects(login(h, 'nopolicy'), /303/, 'the authorize screen still refuses a user no policy allows');
    });
  });
});
