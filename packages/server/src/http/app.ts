// Builds the HTTP application without listening, so tests use `inject()` and main.ts listens.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { TokenDeps } from '../token/deps.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { consoleRoutes } from './console-routes.ts';
import { awsFrontDoor, type FrontDoorDeps } from './aws-api/front-door.ts';
import { accessLog } from './access-log.ts';
import { tokenRoutes } from './token-routes.ts';
import { wellKnownRoutes, type WellKnownDeps } from './well-known.ts';

export interface AppDeps {
  token: TokenDeps & { revokeUrls: readonly string[] };
  console: ConsoleDeps;
  aws: FrontDoorDeps;
  issuer: string;
  jwks: WellKnownDeps['jwks'];
  readiness: WellKnownDeps['readiness'];
  logger?: Logger | false;
  trustProxy?: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (deps.logger || undefined) as FastifyBaseLogger | undefined,
    trustProxy: deps.trustProxy ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Fastify's own request lines would log full URLs; the onResponse hook below logs paths only.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Bodies are parsed per route; anything larger than this is refused before it is read.
    bodyLimit: 64 * 1024,
  });
  accessLog(app, { trustProxy: Boolean(deps.trustProxy) });
  await app.register(tokenRoutes, deps.token);
  await app.register(consoleRoutes, deps.console);
  await app.register(awsFrontDoor, deps.aws);
  await app.register(wellKnownRoutes, { issuer: deps.issuer, jwks: deps.jwks, readiness: deps.readiness });
  return app;
}
