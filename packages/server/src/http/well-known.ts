// OpenID discovery and the JWKS that verifies id tokens (OpenID Connect Discovery 1.0 §3).
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';

export async function wellKnownRoutes(app: FastifyInstance, deps: { issuer: string; jwks: { keys: JWK[] } }): Promise<void> {
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
  const jwks = JSON.stringify(deps.jwks);
  app.get('/.well-known/openid-configuration', (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('application/json').send(discovery));
  app.get('/.well-known/jwks.json', (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('application/json').send(jwks));
  app.get('/healthz', (_request, reply) => reply.type('application/json').send('{"status":"ok"}'));
}
