// OpenID discovery and the JWKS that verifies id tokens (OpenID Connect Discovery 1.0 §3), and the
// two probes a load balancer or orchestrator asks: liveness (the process answers) and readiness
// (it can serve: its database answers).
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';

/** Whether this instance can serve now, and if not, why (for the probe's body and the operator). */
export type Readiness = () => Promise<{ ready: true } | { ready: false; reason: string }>;

export interface WellKnownDeps {
  issuer: string;
  /** The signing keys published now: a function, because keys added later reach a running instance. */
  jwks: () => { keys: JWK[] };
  readiness: Readiness;
}

export async function wellKnownRoutes(app: FastifyInstance, deps: WellKnownDeps): Promise<void> {
  const discovery = JSON.stringify({
    issuer: deps.issuer,
    authorization_endpoint: `${deps.issuer}/v1/authorize`,
    token_endpoint: `${deps.issuer}/v1/token`,
    revocation_endpoint: `${deps.issuer}/v1/revoke`,
    jwks_uri: `${deps.issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['SHA-256', 'S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    dpop_signing_alg_values_supported: ['ES256'],
    scopes_supported: ['openid'],
    token_endpoint_auth_methods_supported: ['none'],
  });
  // The JWKS text is made again only when the set of keys changed.
  let published: { keys: JWK[] } | undefined;
  let jwks = '';
  app.get('/.well-known/openid-configuration', (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('application/json').send(discovery));
  app.get('/.well-known/jwks.json', (_request, reply) => {
    const current = deps.jwks();
    if (current !== published) [published, jwks] = [current, JSON.stringify(current)];
    return reply.header('cache-control', 'public, max-age=300').type('application/json').send(jwks);
  });
  app.get('/healthz', (_request, reply) => reply.header('cache-control', 'no-store').type('application/json').send('{"status":"ok"}'));
  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.readiness();
    return reply
      .code(readiness.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(JSON.stringify(readiness.ready ? { status: 'ready' } : { status: 'not-ready', reason: readiness.reason }));
  });
}
