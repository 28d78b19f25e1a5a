// The providers' keys as STS and console federation fetch them: a rotated key is found by fetching
// the set again on an unknown kid, at most once per cool-down; what a provider answers is bounded
// (a redirect, a huge or slow answer, a non-200 fail the fetch) — real HTTP on a real socket.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { manualClock } from '../clock.ts';
import { fetchJson } from './bounded-fetch.ts';
import { createKeySets, KeySetUnavailable } from './key-sets.ts';

describe('provider key sets and bounded fetches', () => {
  let server: Server;
  let base: string;
  let keys: JWK[] = [];
  let fetches = 0;
  const routes: Record<string, (response: import('node:http').ServerResponse) => void> = {
    '/jwks': (response) => (fetches++, response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))),
    '/redirect': (response) => response.writeHead(302, { location: '/jwks' }).end(),
    '/huge': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end(`{"keys":[],"pad":"${'x'.repeat(300 * 1024)}"}`),
    '/slow': () => {},
    '/missing': (response) => response.writeHead(404).end(),
  };

  before(async () => {
    server = createServer((request, response) => {
      const route = routes[request.url ?? ''];
      if (route) route(response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  const keyPair = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
  };
  const tokenSignedBy = (key: CryptoKey | import('node:crypto').KeyObject, kid: string) => new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid }).sign(key);

  it('fetches again on an unknown kid (a rotated key), at most once per cool-down', async () => {
    const clock = manualClock(1_000_000);
    const first = await keyPair('k1');
    const second = await keyPair('k2');
    keys = [first.jwk];
    fetches = 0;
    const keySetFor = createKeySets({ fetch, clock, timeoutMs: 1000, cooldownMs: 30_000 });
    await jwtVerify(await tokenSignedBy(first.privateKey, 'k1'), keySetFor(`${base}/jwks`));
    await jwtVerify(await tokenSignedBy(first.privateKey, 'k1'), keySetFor(`${base}/jwks`));
    assert.equal(fetches, 1, 'cached');
    keys = [first.jwk, second.jwk];
    // Within the cool-down an unknown kid does not make Keyless fetch again.
    await assert.rejects(jwtVerify(await tokenSignedBy(second.privateKey, 'k2'), keySetFor(`${base}/jwks`)), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(fetches, 1);
    clock.advance(30_000);
    await jwtVerify(await tokenSignedBy(second.privateKey, 'k2'), keySetFor(`${base}/jwks`));
    assert.equal(fetches, 2, 'the rotated key was fetched');
    for (let i = 0; i < 5; i++) await assert.rejects(jwtVerify(await tokenSignedBy(second.privateKey, 'made-up'), keySetFor(`${base}/jwks`)), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(fetches, 2, 'made-up kids do not hammer the provider');
    clock.advance(10 * 60_000);
    await jwtVerify(await tokenSignedBy(second.privateKey, 'k2'), keySetFor(`${base}/jwks`));
    assert.equal(fetches, 3, 'fetched again once the set is older than its TTL');
  });

  it('refuses redirects, answers over the size bound, slow answers and non-200s', async () => {
    const bounded = { timeoutMs: 300, maxBytes: 256 * 1024 };
    await assert.rejects(fetchJson(fetch, `${base}/redirect`, bounded), /redirect/i);
    await assert.rejects(fetchJson(fetch, `${base}/huge`, bounded), /over 262144 bytes/);
    await assert.rejects(fetchJson(fetch, `${base}/slow`, bounded), /timeout|aborted/i);
    await assert.rejects(fetchJson(fetch, `${base}/missing`, bounded), /HTTP 404/);
    const keySetFor = createKeySets({ fetch, clock: manualClock(0), timeoutMs: 300 });
    const { privateKey } = await keyPair('k1');
    await assert.rejects(jwtVerify(await tokenSignedBy(privateKey, 'k1'), keySetFor(`${base}/huge`)), KeySetUnavailable);
  });
});
