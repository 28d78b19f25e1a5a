// Builds the HTTP application without listening, so tests use `inject()` and main.ts listens.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import type { TrustProxy } from '../config/config.ts';
import type { TokenDeps } from '../token/deps.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { consoleRoutes } from './console-routes.ts';
import { awsFrontDoor, type FrontDoorDeps } from './aws-api/front-door.ts';
import { tokenRoutes } from './token-routes.ts';
import { wellKnownRoutes } from './well-known.ts';

export interface AppDeps {
  token: TokenDeps & { revokeUrls: readonly string[] };
  console: ConsoleDeps;
  aws: FrontDoorDeps;
  issuer: string;
  jwks: { keys: JWK[] };
  logger?: Logger | false;
  trustProxy?: TrustProxy;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const trustProxy = trustedHops(deps.trustProxy ?? false);
  const app = Fastify({
    loggerInstance: (deps.logger || undefined) as FastifyBaseLogger | undefined,
    trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Fastify's own request lines would log full URLs; the onResponse hook below logs paths only.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Bodies are parsed per route; anything larger than this is refused before it is read.
    bodyLimit: 64 * 1024,
  });
  // Every response carries the request id the audit event records (CloudTrail's requestID).
  // Both hooks take `done` rather than returning a promise: nothing in them waits, so a promise
  // and a microtask per hook on every request bought nothing.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-amzn-requestid', request.id);
    done();
  });
  // One access-log line per request: method, path without the query (codes travel in queries), status, time.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
  await app.register(tokenRoutes, deps.token);
  await app.register(consoleRoutes, deps.console);
  await app.register(awsFrontDoor, deps.aws);
  await app.register(wellKnownRoutes, { issuer: deps.issuer, jwks: deps.jwks });
  return app;
}

/**
 * Hops or proxy addresses only (config.ts): `request.ip` is then the address the nearest untrusted
 * hop connected from, never one a client wrote into X-Forwarded-For itself. Fastify 5 treats a
 * number as "trust nothing", so a hop count is the function Express builds from one: the socket's
 * peer is hop 0, the entry it appended hop 1, and so on.
 */
function trustedHops(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
