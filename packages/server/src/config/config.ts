// Configuration, read from the environment (and `keyless serve` flags) in exactly one place.
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatabaseLocation } from '../store/store.ts';

export interface Config {
  host: string;
  port: number;
  /** The origin clients use (`AWS_ENDPOINT_URL_SIGNIN`): issuer of id tokens, base of redirects and DPoP htu. */
  publicUrl: string;
  /** Other origins this server answers to (e.g. `http://localhost:4466` beside `http://127.0.0.1:4466`). */
  alternateUrls: string[];
  region: string;
  dataDir: string;
  database: DatabaseLocation;
  /** base64 of 32 bytes; when absent, a key file in the data directory is created on first start. */
  masterKey?: string;
  logLevel: string;
  /** HTTP worker processes; more than one uses both cores (SQLite WAL or PostgreSQL is shared). */
  workers: number;
  /**
   * KEYLESS_TRUST_PROXY: which proxies' `X-Forwarded-For` entries to believe — how many hops (the
   * proxies in front of Keyless), or their addresses/CIDRs; false: none (the socket's address).
   */
  trustProxy: TrustProxy;
  /** Where CloudTrail log files are written every 5 minutes (KEYLESS_AUDIT_EXPORT_DIR); none: no export. */
  auditExportDir?: string;
  /** Audit events are purged from the database after this many days, once exported (KEYLESS_AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
  /**
   * KEYLESS_BENCHMARK_WITHOUT: what the refresh benchmark's A/B rows switch off, to measure what it
   * costs. Never for real use — each one removes a security property — so it is refused unless the
   * server listens on loopback only, and the composition root warns at every start.
   */
  benchmarkWithout: ReadonlySet<BenchmarkKnob>;
  /**
   * KEYLESS_BENCHMARK_ALTERNATE_MS: the knobs above are off only in every other window of this
   * many milliseconds (counted from the epoch: odd windows off), so one server serves both sides
   * of an A/B and a load generator on the same clock tells them apart (`bench/refresh.mjs
   * --ab-interleave`). Unset: always off.
   */
  benchmarkAlternateMs?: number;
}

/** `policies`: every authorization question is allowed unasked (issue 4); `token-events`: refreshes record no CreateOAuth2Token event (issue 5). */
export const BENCHMARK_KNOBS = ['policies', 'token-events'] as const;
export type BenchmarkKnob = (typeof BENCHMARK_KNOBS)[number];

/** Fastify's `trustProxy` forms that trust only known hops (never `true`: every hop). */
export type TrustProxy = false | number | string[];

export const DEFAULT_PORT = 4466;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export class ConfigError extends Error {}

export type ConfigOverrides = Partial<Pick<Config, 'host' | 'port' | 'publicUrl' | 'dataDir' | 'region' | 'workers'>> & { databaseUrl?: string };

export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}, home = homedir()): Config {
  const host = overrides.host ?? env.KEYLESS_HOST ?? '127.0.0.1';
  const port = overrides.port ?? integer(env.KEYLESS_PORT, 'KEYLESS_PORT', DEFAULT_PORT, 0, 65535);
  // The public URL is the id-token issuer and the DPoP htu, fixed before listening: a port the
  // kernel picks later (0) cannot be in it, so it needs an explicit KEYLESS_PUBLIC_URL.
  if (port === 0 && !(overrides.publicUrl ?? env.KEYLESS_PUBLIC_URL)) {
    throw new ConfigError('KEYLESS_PORT=0 needs KEYLESS_PUBLIC_URL: the public URL must name the port clients reach.');
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = trimSlash(overrides.publicUrl ?? env.KEYLESS_PUBLIC_URL ?? `http://${urlHost}:${port}`);
  checkUrl(publicUrl, 'KEYLESS_PUBLIC_URL');
  const alternateUrls = (env.KEYLESS_ALTERNATE_URLS ?? '').split(',').map((u) => trimSlash(u.trim())).filter(Boolean);
  alternateUrls.forEach((u) => checkUrl(u, 'KEYLESS_ALTERNATE_URLS'));
  const loopback = new URL(publicUrl);
  if (loopback.hostname === '127.0.0.1') alternateUrls.push(`${loopback.protocol}//localhost${loopback.port ? `:${loopback.port}` : ''}`);

  const region = overrides.region ?? env.KEYLESS_REGION ?? 'us-east-1';
  if (!REGION_PATTERN.test(region)) throw new ConfigError(`KEYLESS_REGION ${JSON.stringify(region)} is not a region name like us-east-1.`);
  const dataDir = resolve(overrides.dataDir ?? env.KEYLESS_DATA_DIR ?? join(home, '.keyless'));
  const databaseUrl = overrides.databaseUrl ?? env.KEYLESS_DATABASE_URL;
  let database: DatabaseLocation = { kind: 'sqlite', file: join(dataDir, 'keyless.db') };
  if (databaseUrl) {
    if (/^postgres(ql)?:\/\//.test(databaseUrl)) database = { kind: 'postgres', url: databaseUrl };
    else if (databaseUrl.startsWith('sqlite:')) database = { kind: 'sqlite', file: resolve(databaseUrl.slice('sqlite:'.length)) };
    else throw new ConfigError('KEYLESS_DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
  }
  return {
    host,
    port,
    publicUrl,
    alternateUrls,
    region,
    dataDir,
    database,
    masterKey: env.KEYLESS_MASTER_KEY,
    logLevel: env.KEYLESS_LOG_LEVEL ?? 'info',
    workers: overrides.workers ?? integer(env.KEYLESS_WORKERS, 'KEYLESS_WORKERS', 1, 1, 64),
    trustProxy: trustProxy(env.KEYLESS_TRUST_PROXY),
    ...(env.KEYLESS_AUDIT_EXPORT_DIR && { auditExportDir: resolve(env.KEYLESS_AUDIT_EXPORT_DIR) }),
    auditRetentionDays: integer(env.KEYLESS_AUDIT_RETENTION_DAYS, 'KEYLESS_AUDIT_RETENTION_DAYS', 90, 1, 36_500),
    benchmarkWithout: benchmarkKnobs(env.KEYLESS_BENCHMARK_WITHOUT, host),
    ...(env.KEYLESS_BENCHMARK_ALTERNATE_MS && { benchmarkAlternateMs: integer(env.KEYLESS_BENCHMARK_ALTERNATE_MS, 'KEYLESS_BENCHMARK_ALTERNATE_MS', 0, 100, 600_000) }),
  };
}

/** Whether a benchmark knob is switched off at `now` (always, or in the odd windows when alternating). */
export function benchmarkKnobOff(config: Pick<Config, 'benchmarkWithout' | 'benchmarkAlternateMs'>, knob: BenchmarkKnob, now: number): boolean {
  if (!config.benchmarkWithout.has(knob)) return false;
  return config.benchmarkAlternateMs === undefined || Math.floor(now / config.benchmarkAlternateMs) % 2 === 1;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

function benchmarkKnobs(value: string | undefined, host: string): ReadonlySet<BenchmarkKnob> {
  const names = (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!(BENCHMARK_KNOBS as readonly string[]).includes(name)) throw new ConfigError(`KEYLESS_BENCHMARK_WITHOUT: ${JSON.stringify(name)} is not one of ${BENCHMARK_KNOBS.join(', ')}.`);
  }
  if (names.length > 0 && !LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError(`KEYLESS_BENCHMARK_WITHOUT switches off security checks for benchmarks; it is refused unless KEYLESS_HOST is loopback (not ${host}).`);
  }
  return new Set(names as BenchmarkKnob[]);
}

/**
 * `2`: the client's address is the one two hops back in `X-Forwarded-For` (two proxies append to
 * it); `10.0.0.5,10.1.0.0/16`: entries added by these addresses are believed, the first other one
 * is the client's. `true` used to trust every hop — the leftmost entry, which the client writes
 * itself — so it is refused rather than guessed at: an operator says how many proxies there are.
 */
function trustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') {
    throw new ConfigError(
      'KEYLESS_TRUST_PROXY=true trusted every X-Forwarded-For entry, so a client could choose its own address. Set it to the number of proxies in front of Keyless (usually 1) or to their addresses or CIDRs, comma-separated.',
    );
  }
  if (/^\d+$/.test(text)) return integer(text, 'KEYLESS_TRUST_PROXY', 0, 1, 16);
  const proxies = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const proxy of proxies) {
    const [address, prefix, extra] = proxy.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      throw new ConfigError(`KEYLESS_TRUST_PROXY: ${JSON.stringify(proxy)} is not a hop count, an IP address or a CIDR.`);
    }
  }
  return proxies;
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}.`);
  return n;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function checkUrl(url: string, name: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${name}: ${JSON.stringify(url)} is not a URL.`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.pathname !== '/' || parsed.search || parsed.hash) {
    throw new ConfigError(`${name}: ${JSON.stringify(url)} must be an http(s) origin without a path.`);
  }
}
