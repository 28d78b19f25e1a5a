// An OpenID provider the attack tests control, on 127.0.0.1 with a random port: real HTTP, real
// discovery, a real JWKS and ES256 signatures, and a token endpoint that checks what a provider
// checks (client_secret_basic, the code, the PKCE verifier, the redirect URI). What it puts in the
// ID token is the test's choice — which is the point: `oidc-provider` (the e2e suite's IdP) will
// not mint a token for another audience or with `alg: none`.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyObject } from 'jose';

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Its signing key, and another key it never published (for "signed by a foreign key"). */
  key: KeyObject;
  foreignKey: KeyObject;
  /** Requests its token endpoint refused, with why. */
  refusals: string[];
  /**
   * What the provider's authorization endpoint would do once the user signs in: a code for this
   * authorization request (the `location` Keyless redirected to), whose ID token `mint` builds.
   */
  approve(location: string, mint: (defaults: JWTPayload) => Promise<string> | string): string;
  /** Signs `payload` with the published key (ES256) unless told otherwise. */
  sign(payload: JWTPayload, options?: { key?: KeyObject | Uint8Array; alg?: string; kid?: string }): Promise<string>;
  close(): Promise<void>;
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
  });

export async function startTestIdp(input: { clientId?: string; now: () => number }): Promise<TestIdp> {
  const clientId = input.clientId ?? 'keyless-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey: key, publicKey } = await generateKeyPair('ES256');
  const { privateKey: foreignKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; idToken: () => Promise<string> | string }>();
  const refusals: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (path === '/.well-known/openid-configuration') {
      return send(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, authorization_response_iss_parameter_supported: true });
    }
    if (path === '/jwks') return send(200, { keys: [jwk] });
    if (path === '/token' && request.method === 'POST') {
      const form = new URLSearchParams(await body(request));
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
      const refuse = (why: string) => (refusals.push(why), send(400, { error: 'invalid_grant' }));
      if (request.headers.authorization !== expected) return refuse('client authentication');
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!grant) return refuse('unknown code');
      if (createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return refuse('code_verifier');
      if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri');
      return send(200, { access_token: 'opaque', token_type: 'Bearer', id_token: await grant.idToken() });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign: TestIdp['sign'] = (payload, options = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'k1' }).sign(options.key ?? key);

  return {
    issuer,
    clientId,
    clientSecret,
    key,
    foreignKey,
    refusals,
    approve(location, mint) {
      const url = new URL(location);
      const now = Math.floor(input.now() / 1000);
      const defaults: JWTPayload = { iss: issuer, aud: clientId, sub: 'user-1', iat: now, exp: now + 300, nonce: url.searchParams.get('nonce') ?? '' };
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '', idToken: () => mint(defaults) });
      return code;
    },
    sign,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
