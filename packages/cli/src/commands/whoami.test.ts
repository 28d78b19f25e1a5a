import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { parseAuthorizationHeader } from '@keyless/protocol';
import { startFakeSigninServer, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { seedSession } from '../testing/seed-session.ts';
import { testContext, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';
import { run } from './whoami.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const XML =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::111111111111:user/alice</Arn><UserId>AIDAEXAMPLEEXAMPLE</UserId><Account>111111111111</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

// A stand-in STS: records each request and answers the identity (the signature itself is checked in sts/).
let sts: Server;
let stsUrl: string;
let requests: IncomingMessage[];
before(async () => {
  sts = createServer((request, response) => {
    requests.push(request);
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'text/xml' }).end(XML));
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  stsUrl = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => sts.close(() => resolve())));

let signin: FakeSigninServer;
beforeEach(async () => {
  requests = [];
  signin = await startFakeSigninServer({ now: () => NOW.getTime() / 1000 });
});
afterEach(() => signin.close());

const scopeOf = (request: IncomingMessage | undefined) => parseAuthorizationHeader(request?.headers.authorization ?? '').credential;

describe('keyless whoami', () => {
  it('prints the identity STS returns, signed with the profile\'s credentials, at the profile\'s STS endpoint', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z'), stsEndpoint: stsUrl, profileLines: ['region = ap-southeast-2'] });
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'p' }, ctx), ExitCode.Ok);
      assert.equal(ctx.stdout.text, 'Arn      arn:aws:iam::111111111111:user/alice\nAccount  111111111111\nUserId   AIDAEXAMPLEEXAMPLE\n');
      assert.equal(requests.length, 1);
      const scope = scopeOf(requests[0]);
      assert.equal(scope.accessKeyId, 'ASIASEEDSEEDSEED0000');
      assert.equal(scope.scope.region, 'ap-southeast-2', 'the profile\'s region');
      assert.equal(scope.scope.service, 'sts');
    }));

  it('--json prints the shape of `aws sts get-caller-identity`; --region and --endpoint-url win', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z'), stsEndpoint: 'http://127.0.0.1:9' });
      const ctx = testContext({ homeDir: home, now: NOW, env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' } });
      assert.equal(await run({ profile: 'p', json: true, region: 'us-west-2', endpointUrl: stsUrl }, ctx), ExitCode.Ok);
      assert.deepEqual(JSON.parse(ctx.stdout.text), { UserId: 'AIDAEXAMPLEEXAMPLE', Account: '111111111111', Arn: 'arn:aws:iam::111111111111:user/alice' });
      assert.equal(scopeOf(requests[0]).scope.region, 'us-west-2');
    }));

  it('refreshes first when the credentials are due, and signs with the new ones; region falls back to signInRegion', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:01:00Z'), signInRegion: 'eu-central-1' });
      const ctx = testContext({ homeDir: home, now: NOW, env: { AWS_ENDPOINT_URL_STS: stsUrl } });
      assert.equal(await run({ profile: 'p' }, ctx), ExitCode.Ok);
      assert.equal(signin.refreshRequests.length, 1);
      const scope = scopeOf(requests[0]);
      assert.equal(scope.accessKeyId, 'ASIAFAKEFAKEFAKE0001');
      assert.equal(scope.scope.region, 'eu-central-1');
    }));

  it('goes to AWS\'s regional STS endpoint when nothing names one', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      const ctx = testContext({ homeDir: home, now: NOW, env: { AWS_REGION: 'sa-east-1' } });
      const urls: string[] = [];
      ctx.fetch = async (url) => {
        urls.push(String(url));
        return new Response(XML, { status: 200 });
      };
      assert.equal(await run({ profile: 'p' }, ctx), ExitCode.Ok);
      assert.deepEqual(urls, ['https://sts.sa-east-1.amazonaws.com/']);
    }));
});
