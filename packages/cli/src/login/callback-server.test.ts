import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { startCallbackServer, type CallbackServer } from './callback-server.ts';

const STATE = '6b0d3c1e-1111-4222-8333-444455556666';

async function withServer(test: (server: CallbackServer) => Promise<void>): Promise<void> {
  const server = await startCallbackServer({ expectedState: STATE });
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

describe('callback server', () => {
  it('listens on 127.0.0.1 only, on a random port by default', () =>
    withServer(async (server) => {
      const address = server.address();
      assert.equal(address.address, '127.0.0.1');
      assert.equal(address.family, 'IPv4');
      assert.ok(address.port > 0);
      assert.equal(server.redirectUri, `http://127.0.0.1:${address.port}/oauth/callback`);
    }));

  it('answers 404 to every other path and method, and to a foreign Host header', () =>
    withServer(async (server) => {
      const origin = `http://127.0.0.1:${server.port}`;
      for (const path of ['/', '/favicon.ico', '/oauth/callback/x', '/oauth/callbackx', '/OAUTH/CALLBACK']) {
        assert.equal((await fetch(`${origin}${path}?code=c&state=${STATE}`)).status, 404, path);
      }
      assert.equal((await fetch(`${origin}/oauth/callback?code=c&state=${STATE}`, { method: 'POST' })).status, 404);
      const rebound = await new Promise<number>((resolve, reject) => {
        request(`${origin}/oauth/callback?code=c&state=${STATE}`, { headers: { host: 'evil.example:80' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      assert.equal(rebound, 404);
      // None of that decided the outcome: the real callback still does.
      const response = await fetch(`${origin}/oauth/callback?code=the-code&state=${STATE}`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /return to your terminal/);
      assert.equal(await server.waitForCode(1000), 'the-code');
    }));

  it('serves a clean, self-contained page', () =>
    withServer(async (server) => {
      const response = await fetch(`${server.redirectUri}?code=c&state=${STATE}`);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const html = await response.text();
      assert.doesNotMatch(html, /<script|https?:\/\//);
    }));

  it('rejects a state mismatch', () =>
    withServer(async (server) => {
      const response = await fetch(`${server.redirectUri}?code=c&state=someone-elses`);
      assert.equal(response.status, 400);
      await assert.rejects(server.waitForCode(1000), failsWith('STATE_MISMATCH', ExitCode.Refused));
    }));

  it('turns error= into a failure, shown on the page (escaped) and in the terminal', () =>
    withServer(async (server) => {
      const response = await fetch(`${server.redirectUri}?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}&state=${STATE}`);
      const html = await response.text();
      assert.match(html, /Sign-in failed/);
      assert.match(html, /access_denied: &lt;b&gt;no&lt;\/b&gt;/);
      await assert.rejects(server.waitForCode(1000), (error: unknown) => failsWith('AUTHORIZATION_DENIED', ExitCode.Refused)(error) && /access_denied/.test((error as Error).message));
    }));

  it('fails without a code', () =>
    withServer(async (server) => {
      await fetch(`${server.redirectUri}?state=${STATE}`);
      await assert.rejects(server.waitForCode(1000), failsWith('AUTHORIZATION_FAILED', ExitCode.Refused));
    }));

  it('keeps the first outcome: a later callback cannot replace the code', () =>
    withServer(async (server) => {
      await fetch(`${server.redirectUri}?code=first&state=${STATE}`);
      await fetch(`${server.redirectUri}?code=second&state=${STATE}`);
      assert.equal(await server.waitForCode(1000), 'first');
    }));

  it('times out', () =>
    withServer(async (server) => {
      await assert.rejects(server.waitForCode(30), failsWith('LOGIN_TIMEOUT', ExitCode.Timeout));
    }));

  it('uses the requested port, and says so clearly when it is taken', async () => {
    const first = await startCallbackServer({ expectedState: STATE });
    try {
      await assert.rejects(startCallbackServer({ expectedState: STATE, port: first.port }), failsWith('REDIRECT_PORT_IN_USE', ExitCode.Usage));
    } finally {
      await first.close();
    }
    const chosen = await startCallbackServer({ expectedState: STATE, port: first.port });
    assert.equal(chosen.port, first.port);
    await chosen.close();
  });
});
