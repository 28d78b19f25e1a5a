import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startFakeSigninServer, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { seedSession } from '../testing/seed-session.ts';
import { testContext, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';
import { run } from './export-credentials.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');

let server: FakeSigninServer;
beforeEach(async () => {
  server = await startFakeSigninServer({ now: () => NOW.getTime() / 1000 });
});
afterEach(() => server.close());

describe('keyless export-credentials', () => {
  it('prints the profile\'s cached credentials in the chosen format, on stdout only', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: new Date('2026-11-23T20:10:00Z') });
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'p', format: 'env' }, ctx), ExitCode.Ok);
      assert.equal(
        ctx.stdout.text,
        'export AWS_ACCESS_KEY_ID=ASIASEEDSEEDSEED0000\nexport AWS_SECRET_ACCESS_KEY=seed-secret\n' +
          'export AWS_SESSION_TOKEN=seed-session-token\nexport AWS_CREDENTIAL_EXPIRATION=2026-11-23T20:10:00+00:00\n',
      );
      assert.equal(ctx.stderr.text, '');
      assert.equal(server.tokenRequests.length, 0);
    }));

  it('refreshes first when fewer than five minutes remain', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: new Date('2026-11-23T20:04:00Z') });
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'p', format: 'process' }, ctx), ExitCode.Ok);
      const json = JSON.parse(ctx.stdout.text);
      assert.equal(json.AccessKeyId, 'ASIAFAKEFAKEFAKE0001');
      assert.equal(json.Expiration, '2026-11-23T20:15:00+00:00');
      assert.equal(server.refreshRequests.length, 1);
    }));
});
