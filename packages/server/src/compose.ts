// The composition root: the one place that turns configuration into running parts.
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { benchmarkKnobOff, ConfigError, type BenchmarkKnob, type Config } from './config/config.ts';
import { systemClock, type Clock } from './clock.ts';
import { systemRandom, type Random } from './crypto/ids.ts';
import { createSealer, SealedForAnotherKeyError, type Sealer } from './crypto/sealer.ts';
import { buildApp } from './http/app.ts';
import type { Readiness } from './http/well-known.ts';
import { asDatabaseUnavailable } from './store/database-faults.ts';
import { deriveKey, loadMasterKey, masterKeySource } from './keys/master-key.ts';
import { loadSigningKeys } from './keys/signing-keys.ts';
import { openStore, type Store } from './store/store.ts';
import { createIdTokenSigner } from './token/id-token.ts';
import { createCallerLookup } from './sts/credential-lookup.ts';
import { createStsService } from './sts/sts-service.ts';
import { createAccountDirectory } from './sts/account-directory.ts';
import { compiledPolicies } from './iam/compiled-policies.ts';
import { createCloudTrailService } from './cloudtrail/cloudtrail-service.ts';
import { createAuditTrail, withoutTokenEvents, type AuditTrail } from './audit/trail.ts';
import { benchmarkAuthorizer, type Authorizer } from './iam/authorizer.ts';
import { createPolicyAuthorizer } from './iam/policy-authorizer.ts';
import { createIamService } from './iam/api/iam-service.ts';
import { startExporter } from './audit/export.ts';
import { startIndexer } from './audit/indexer.ts';
import { startHousekeeping } from './housekeeping.ts';
import { createDiscovery } from './federation/discovery.ts';
import { CALLBACK_PATH, PROVIDER_TIMEOUT_MS, type FederationDeps } from './federation/deps.ts';
import { createKeySets } from './federation/key-sets.ts';

/** What every domain operation is given: storage, time, randomness and the audit trail. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  random: Random;
  audit: AuditTrail;
}

/** The running service's own dependencies, for whatever runs beside its HTTP app. */
export type ServiceDeps = CoreDeps & { sealer: Sealer; authorizer: Authorizer; region: string };

/** What runs beside the HTTP app, on one process of an instance (serve.ts); each start returns its stop. */
export interface BackgroundJobs {
  /** Drops expired rows every minute, and audit events past the retention period. */
  housekeeping(): () => void;
  /** Copies new audit events into the lookup index. */
  indexer(onError: (error: unknown) => void): () => void;
  /** Writes the CloudTrail log files every five minutes when KEYLESS_AUDIT_EXPORT_DIR is set; else does nothing. */
  exporter(onError: (error: unknown) => void): () => void;
}

export interface Service {
  app: FastifyInstance;
  store: Store;
  config: Config;
  deps: ServiceDeps;
  jobs: BackgroundJobs;
  /** From now on /readyz answers not-ready ("shutting down"), so a load balancer stops sending requests. */
  drain(): void;
  close(): Promise<void>;
}

/** The time and randomness of everything that runs: the system's, unless a test says otherwise. */
export const systemSources = (overrides: { clock?: Clock; random?: Random } = {}): { clock: Clock; random: Random } => ({
  clock: overrides.clock ?? systemClock,
  random: overrides.random ?? systemRandom,
});

/** The installation's sealer, from its master key (the service's, and `keyless admin`'s where a command seals). */
export const sealerOf = (config: Pick<Config, 'masterKey' | 'dataDir'>): Sealer => createSealer(loadMasterKey(config.masterKey, config.dataDir));

/** The core dependencies over a store (`keyless admin`, bootstrap, the service itself). */
export function coreDeps(store: Store, overrides: { clock?: Clock; random?: Random } = {}): CoreDeps {
  const { clock, random } = systemSources(overrides);
  return { store, clock, random, audit: createAuditTrail(random) };
}

function backgroundJobs(config: Config, deps: Pick<CoreDeps, 'store' | 'clock'>): BackgroundJobs {
  const retention = { days: config.auditRetentionDays, exportFirst: config.auditExportDir !== undefined };
  const dir = config.auditExportDir;
  return {
    housekeeping: () => startHousekeeping(deps.store, deps.clock, retention),
    indexer: (onError) => startIndexer(deps.store, onError),
    exporter: (onError) => (dir ? startExporter({ store: deps.store, clock: deps.clock, dir }, onError) : () => {}),
  };
}

export interface ServiceOverrides {
  clock?: Clock;
  random?: Random;
  logger?: Logger | false;
  store?: Store;
  authorizer?: Authorizer;
}

/**
 * Secrets never reach a log line: credentials, codes and tokens live in bodies, queries and these
 * headers, none of which is logged; the paths below guard against one slipping into an object.
 * (Not `*.code`: it would hide every error's code.)
 */
export const createLogger = (level: string): Logger =>
  pino({ level, redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers.dpop', '*.password', '*.refreshToken', '*.codeVerifier', '*.secretAccessKey', '*.sessionToken'], censor: '[redacted]' } });

/** Ready while the database answers a trivial statement within READINESS_TIMEOUT_MS. */
const READINESS_TIMEOUT_MS = 2000;
function readinessOf(store: Store): Readiness {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS)));
    try {
      await Promise.race([store.ping(), late]);
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: `the database does not answer (${asDatabaseUnavailable(error)?.reason ?? (error as Error).message})` };
    } finally {
      clearTimeout(timer);
    }
  };
}

export async function createService(config: Config, overrides: ServiceOverrides = {}): Promise<Service> {
  const logger = overrides.logger === undefined ? createLogger(config.logLevel) : overrides.logger;
  const store = overrides.store ?? (await openStore(config.database, { onFault: (fault) => logger && logger.warn({ database: fault.reason }, 'database connection lost; the pool opens another') }));
  const core = coreDeps(store, overrides);
  const { clock, random, audit } = core;
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  const sealer = createSealer(masterKey);
  const signingKeys = await loadSigningKeys(store, sealer, clock).catch(async (error: unknown) => {
    if (!overrides.store) await store.close();
    if (!(error instanceof SealedForAnotherKeyError)) throw error;
    throw new ConfigError(
      `The master key does not match this database: its secrets were sealed with master key ${error.sealedKeyId}, and this instance has ${error.keyId}, from ${masterKeySource(config.masterKey, config.dataDir)}. ` +
        'Every instance sharing a database needs the same key: set KEYLESS_MASTER_KEY to it (or copy master.key from the data directory that set the database up).',
    );
  });
  const origins = [config.publicUrl, ...config.alternateUrls];
  const without = config.benchmarkWithout;
  if (without.size > 0 && logger) {
    const alternating = config.benchmarkAlternateMs === undefined ? '' : ` in every other ${config.benchmarkAlternateMs} ms`;
    logger.warn(`BENCHMARK MODE (KEYLESS_BENCHMARK_WITHOUT=${[...without].join(',')})${alternating}: ${without.has('policies') ? 'policies are NOT evaluated, every request is allowed; ' : ''}${without.has('token-events') ? 'refreshes record NO audit event; ' : ''}never run this for real use`);
  }
  const off = (knob: BenchmarkKnob) => () => benchmarkKnobOff(config, knob, clock.now());
  const policyAuthorizer = () => {
    const policies = createPolicyAuthorizer(store, clock);
    return without.has('policies') ? benchmarkAuthorizer(policies, off('policies')) : policies;
  };
  const authorizer = overrides.authorizer ?? policyAuthorizer();
  // One discovery cache and one set of provider keys, for console sign-in and STS alike.
  const discovery = createDiscovery({ fetch, clock, timeoutMs: PROVIDER_TIMEOUT_MS, ttlMs: 3600_000 });
  const keySetFor = createKeySets({ fetch, clock, timeoutMs: PROVIDER_TIMEOUT_MS });
  const federation: FederationDeps = {
    store,
    clock,
    random,
    sealer,
    audit,
    region: config.region,
    discovery,
    keySetFor,
    fetch,
    timeoutMs: PROVIDER_TIMEOUT_MS,
    redirectUri: `${config.publicUrl}${CALLBACK_PATH}`,
  };
  const sts = createStsService({ store, clock, random, sealer, audit, authorizer, compiled: compiledPolicies(), directory: createAccountDirectory(), discovery, keySetFor, region: config.region });
  const databaseReadiness = readinessOf(store);
  let draining = false;
  const app = await buildApp({
    token: {
      store,
      sealer,
      clock,
      random,
      idTokens: createIdTokenSigner(signingKeys, config.publicUrl),
      tokenUrls: origins.map((o) => `${o}/v1/token`),
      revokeUrls: origins.map((o) => `${o}/v1/revoke`),
      authorizer,
      audit: without.has('token-events') ? withoutTokenEvents(audit, off('token-events')) : audit,
    },
    console: { store, clock, random, sealer, audit, region: config.region, publicUrl: config.publicUrl, csrfKey: deriveKey(masterKey, 'csrf'), authorizer, federation },
    aws: { clock, callers: createCallerLookup({ store, sealer, clock }), services: [sts, createCloudTrailService({ store, sealer, clock, authorizer }), createIamService({ store, clock, random, audit, authorizer })] },
    issuer: config.publicUrl,
    jwks: signingKeys.jwks,
    readiness: async () => (draining ? { ready: false, reason: 'shutting down' } : databaseReadiness()),
    logger,
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
  });
  return {
    app,
    store,
    config,
    deps: { ...core, sealer, authorizer, region: config.region },
    jobs: backgroundJobs(config, core),
    drain() {
      draining = true;
    },
    async close() {
      signingKeys.stop();
      await app.close();
      if (!overrides.store) await store.close();
    },
  };
}
