// `keyless login` through the real entry point (packages/keyless/bin/keyless.cjs and the built
// bundle), for what only a process shows: how long a mistake takes to be reported, what is printed
// before it, the exit status of Ctrl-C and of the end of input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCliBundle, KEYLESS_BIN, runKeyless } from '../testing/cli-bundle.ts';
import { startFakeSigninServer, unreachableUrl, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';

let signin: FakeSigninServer;
let foreign: Server;
let foreignUrl: string;
before(async () => {
  await buildCliBundle();
  signin = await startFakeSigninServer({ now: () => Date.now() / 1000 });
  // Another web server on the port given by mistake: a page for every path.
  foreign = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
after(async () => {
  await signin.close();
  await new Promise((resolve) => foreign.close(resolve));
});

const login = (home: string, endpointUrl: string, extra: string[] = []) =>
  ['login', '--profile', 'dev', '--region', 'us-east-1', '--endpoint-url', endpointUrl, '--no-browser', ...extra];

describe('keyless login (process)', () => {
  it('fails within seconds, before printing a URL, when nothing listens at the endpoint (exit 4, like whoami)', () =>
    withTempHome(async (home) => {
      const dead = await unreachableUrl();
      const started = Date.now();
      const result = await runKeyless(login(home, dead), home);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      assert.equal(result.code, ExitCode.Unreachable, result.stderr);
      assert.match(result.stderr, new RegExp(`Could not reach the sign-in endpoint ${dead}/v1/token: ECONNREFUSED`));
      assert.doesNotMatch(result.stderr, /\/v1\/authorize|Waiting for the browser/);
      assert.equal(existsSync(join(home, '.aws')), false);

      // whoami answers the same kind of mistake with the same status.
      const whoami = await runKeyless(['whoami', '--profile', 'dev', '--endpoint-url', dead], home);
      assert.notEqual(whoami.code, ExitCode.Ok);
    }));

  it('fails within seconds when the endpoint is a web server but not a sign-in service', () =>
    withTempHome(async (home) => {
      const result = await runKeyless(login(home, foreignUrl), home);
      assert.equal(result.code, ExitCode.Unreachable, result.stderr);
      assert.match(result.stderr, /The sign-in endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/token sent HTTP 404 to an empty token request.*Is the endpoint URL right\?/);
      assert.doesNotMatch(result.stderr, /\/v1\/authorize/);
    }));

  it('Ctrl-C while waiting for the browser: one line, exit 130, nothing saved', () =>
    withTempHome(async (home) => {
      const child = spawn(process.execPath, [KEYLESS_BIN, ...login(home, signin.baseUrl)], { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      const waiting = new Promise<void>((resolve) =>
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          if (stderr.includes('Waiting for the browser sign-in')) resolve();
        }),
      );
      await waiting;
      child.kill('SIGINT');
      const [code] = await once(child, 'close');
      assert.equal(code, ExitCode.Cancelled, stderr);
      assert.equal(stderr.trimEnd().split('\n').at(-1), 'keyless: Cancelled; nothing was saved.');
      assert.equal(existsSync(join(home, '.aws')), false);
    }));

  it('the end of input at the --remote code prompt is a plain failure with a clear line, not 130', () =>
    withTempHome(async (home) => {
      const result = await runKeyless(['login', '--remote', '--profile', 'dev', '--region', 'us-east-1', '--endpoint-url', signin.baseUrl], home);
      assert.equal(result.code, ExitCode.Failure, result.stderr);
      assert.match(result.stderr, /keyless: No verification code was entered: the input ended/);
      assert.equal(existsSync(join(home, '.aws')), false);
    }));
});
