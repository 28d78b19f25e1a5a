// Builds the HTTP application without listening, so tests use `inject()` and main.ts listens.
import { randomUUID } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_RATE_LIMITS, type RateLimits, type TrustProxy } from '../config/config.ts';
import { rateLimitRoutes } from './rate-limits.ts';
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
  trustProxy?: TrustProxy;
  rateLimits?: RateLimits;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const trusted = proxyTrust(deps.trustProxy ?? false);
  const app = Fastify({
    loggerInstance: (deps.logger || undefined) as FastifyBaseLogger | undefined,
    trustProxy: deps.trustProxy ? (address: string, hop: number) => trusted(address, hop) : false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Fastify's own request lines would log full URLs; the onResponse hook below logs paths only.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Bodies are parsed per route; anything larger than this is refused before it is read.
    bodyLimit: 64 * 1024,
  });
  accessLog(app, { isTrustedProxy: (address) => trusted(address, 0) });
  await rateLimitRoutes(app, deps.rateLimits ?? DEFAULT_RATE_LIMITS);
  await app.register(tokenRoutes, deps.token);
  await app.register(consoleRoutes, deps.console);
  await app.register(awsFrontDoor, deps.aws);
  await app.register(wellKnownRoutes, { issuer: deps.issuer, jwks: deps.jwks, readiness: deps.readiness });
  return app;
}

/**
 * Which hops to believe, as the function Fastify takes (config.ts gives hops or proxy addresses,
 * never `true`): `request.ip` is then the address the nearest untrusted hop connected from, never
 * one a client wrote into X-Forwarded-For itself. The socket's peer is hop 0, the entry it
 * appended hop 1, and so on. A hop count trusts that many hops (Fastify 5 treats a bare number as
 * "trust nothing"); a list trusts the hops whose address is in it. The same function answers, at
 * hop 0, whether the peer may tell us what only a proxy may (its X-Request-Id).
 */
function proxyTrust(trust: TrustProxy): (address: string | undefined, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  const list = new BlockList();
  for (const entry of trust) {
    const [address, prefix] = entry.split('/');
    const family = isIPv6(address!) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
    return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}
