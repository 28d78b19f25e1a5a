// The upstream identity provider of the federation suites: the npm package `oidc-provider`, a
// certified OpenID provider independent of Keyless, on 127.0.0.1 with a random port. One static
// client (Keyless, client_secret_basic, PKCE required by default for every client here), accounts
// whose claims the test chooses, and its built-in development login and consent pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  sub: string;
  email: string;
  groups: string[];
}

export interface Idp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startIdp(input: { redirectUri: string; accounts: Record<string, IdpAccount> }): Promise<Idp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'keyless-e2e';
  const clientSecret = `secret-${Math.random().toString(36).slice(2)}-e2e-federation`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [input.redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    // The dev login page takes any login name: it is looked up here, unknown names get only `sub`.
    async findAccount(_ctx, id) {
      const account = input.accounts[id];
      return { accountId: id, claims: () => (account ? { ...account } : { sub: id }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['groups'] },
    // Put the scope's claims in the ID token too (the default keeps them for userinfo when an access token is issued).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['e2e-federation-cookie-key'] },
  });
  // Its development warnings (devInteractions, in-memory adapter, Node 20) are expected here.
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
