// Discovery: the document must name the configured issuer and usable endpoints; answers are
// cached for the TTL by the injected clock; a provider that does not answer times out.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { manualClock } from '../clock.ts';
import { createDiscovery, parseMetadata } from './discovery.ts';
import { FederationError } from './errors.ts';

const ISSUER = 'https://sso.example.com';
const document = (overrides: Record<string, unknown> = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
  ...overrides,
});
const unreachable = (error: unknown) => error instanceof FederationError && error.code === 'ProviderUnreachable';

describe('OpenID discovery', () => {
  it('takes the endpoints of a document that names the issuer', () => {
    assert.deepEqual(parseMetadata(ISSUER, document({ authorization_response_iss_parameter_supported: true })), {
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/authorize`,
      tokenEndpoint: `${ISSUER}/token`,
      jwksUri: `${ISSUER}/jwks`,
      issParameterSupported: true,
    });
  });

  it('refuses another issuer, a missing endpoint, and plain http off loopback', () => {
    for (const bad of [document({ issuer: 'https://evil.example' }), document({ issuer: `${ISSUER}/` }), document({ token_endpoint: undefined }), document({ jwks_uri: 'http://sso.example.com/jwks' }), document({ authorization_endpoint: 'javascript:alert(1)' })]) {
      assert.throws(() => parseMetadata(ISSUER, bad), unreachable, JSON.stringify(bad));
    }
  });

  it('caches a good answer for the TTL, by the injected clock', async () => {
    const clock = manualClock(1_000_000);
    let calls = 0;
    const fetch = (async () => (calls++, new Response(JSON.stringify(document())))) as typeof globalThis.fetch;
    const discovery = createDiscovery({ fetch, clock, timeoutMs: 1000, ttlMs: 60_000 });
    await discovery.metadata(ISSUER);
    clock.advance(59_999);
    await discovery.metadata(ISSUER);
    assert.equal(calls, 1);
    clock.advance(1);
    await discovery.metadata(ISSUER);
    assert.equal(calls, 2);
  });

  it('does not cache a failure, and gives up on a provider that never answers', async () => {
    const server = createServer(() => {}); // accepts, never responds
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const discovery = createDiscovery({ fetch, clock: manualClock(0), timeoutMs: 200, ttlMs: 60_000 });
      const started = Date.now();
      await assert.rejects(discovery.metadata(issuer), unreachable);
      assert.ok(Date.now() - started < 2000, 'bounded by the timeout');
      await assert.rejects(discovery.metadata(issuer), unreachable);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
