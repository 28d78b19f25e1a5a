// Request rate limits (issue 14) on the endpoints anyone can call: the token API, /v1/authorize
// and the AWS APIs on `/`. @fastify/rate-limit counts in memory, per worker process, in fixed
// one-minute windows, before the body is read. A client is its address and, where the request
// names one, the key it proves possession of — the DPoP proof's key on the token API, the SigV4
// access key on `/` — so many CLIs behind one address (an office, the refresh benchmark's 64
// connections from 127.0.0.1) each have their own allowance. A refused request is a
// RateLimitExceeded, which each route's error handler answers in its protocol's words.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { RateLimits } from '../config/config.ts';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Thrown by the limiter; the token API, the AWS front door and the console each serialise it. */
export class RateLimitExceeded extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Rate exceeded; retry in ${retryAfterSeconds} s.`);
  }
}

/** The DPoP proof's header (it holds the public key), as sent: the same for every proof of one CLI. */
const dpopKeyOf = (request: FastifyRequest): string => {
  const proof = request.headers.dpop;
  if (typeof proof !== 'string') return '';
  const dot = proof.indexOf('.');
  return dot > 0 ? proof.slice(0, Math.min(dot, 1024)) : '';
};

/** The access key id of a SigV4 request, from the Authorization header or a presigned URL. */
const accessKeyOf = (request: FastifyRequest): string => {
  const auth = request.headers.authorization;
  const credential = typeof auth === 'string' ? /Credential=([A-Z0-9]{16,128})\//.exec(auth) : /[?&]X-Amz-Credential=([A-Z0-9]{16,128})(%2F|\/)/.exec(request.url);
  return credential?.[1] ?? '';
};

interface RouteLimit {
  max: number;
  client: (request: FastifyRequest) => string;
}

function limitOf(route: Pick<RouteOptions, 'url'>, limits: RateLimits): RouteLimit | undefined {
  if (route.url === '/v1/token' || route.url === '/v1/revoke') return { max: limits.token, client: dpopKeyOf };
  if (route.url.startsWith('/v1/authorize')) return { max: limits.authorize, client: () => '' };
  if (route.url === '/') return { max: limits.awsApi, client: accessKeyOf };
  return undefined;
}

/** Registers the limiter and gives each limited route its allowance; call before the routes are registered. */
export async function rateLimitRoutes(app: FastifyInstance, limits: RateLimits): Promise<void> {
  app.addHook('onRoute', (route) => {
    const limit = limitOf(route, limits);
    if (!limit || limit.max === 0) return;
    route.config = {
      ...route.config,
      rateLimit: { max: limit.max, timeWindow: RATE_LIMIT_WINDOW_MS, keyGenerator: (request: FastifyRequest) => `${request.ip} ${limit.client(request)}` },
    };
  });
  await app.register(rateLimit, {
    global: false,
    // Enough clients for one minute of a busy instance; past it the oldest is forgotten.
    cache: 50_000,
    // Only Retry-After, and only on a refusal: every other response stays as it was.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_request, context) => new RateLimitExceeded(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
