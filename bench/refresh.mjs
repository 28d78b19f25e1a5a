// The token refresh benchmark (issue 2): POST /v1/token refresh grants, each with a fresh DPoP
// proof and the rotated token, against SQLite and PostgreSQL, beside a bare Fastify route that
// answers the same number of bytes to the same request. See bench/README.md for what each row is.
//
//   node bench/refresh.mjs [--backend sqlite|postgres|both] [--connections 16,64] [--workers 1,2]
//                          [--duration 10] [--warmup 2] [--no-baseline] [--no-build]
//                          [--out FILE] [--cpu-prof DIR] [--ab policies|token-events] [--ab-runs 2]
//                          [--ab-interleave MS]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drive } from './lib/drive.mjs';
import { BENCH_DATABASE, dropDatabase, postgresVersion, recreateDatabase } from './lib/postgres.mjs';
import { startBaseline, startKeyless } from './lib/servers.mjs';
import { createLoginSessions, sampleRefresh, signInRoot } from './lib/sessions.mjs';
import { gitState } from './lib/git-state.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN_PATH = '/v1/token';
const ROOT_USER = { email: 'bench@keyless.test', password: 'bench-password-0123456789' };

/** Issue 2's target: SQLite, 64 connections. */
export const TARGET = { backend: 'sqlite', connections: 64, minRequestsPerSecond: 2000, maxP99Ms: 50 };

/**
 * A/B: each keyless row also measured with one thing switched off (KEYLESS_BENCHMARK_WITHOUT, which
 * the server accepts on loopback only), runs alternating: `policies` (issue 4: every
 * authorization question allowed unasked), `token-events` (issue 5: no CreateOAuth2Token event).
 */
export const AB_KNOBS = ['policies', 'token-events'];

const list = (value) => value.split(',').map((v) => Number(v.trim())).filter((n) => Number.isInteger(n) && n > 0);

export function parseRefreshArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'both' },
      connections: { type: 'string', default: '16,64' },
      workers: { type: 'string', default: '1,2' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      'no-baseline': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      ab: { type: 'string' },
      'ab-runs': { type: 'string', default: '2' },
      'ab-interleave': { type: 'string' },
    },
  });
  if (values.ab !== undefined && !AB_KNOBS.includes(values.ab)) throw new Error(`--ab is one of ${AB_KNOBS.join(', ')}`);
  if (values['ab-interleave'] !== undefined && (values.ab === undefined || !(Number(values['ab-interleave']) >= 100))) throw new Error('--ab-interleave takes a window length of at least 100 ms, with --ab');
  const backend = values.backend;
  if (!['sqlite', 'postgres', 'both'].includes(backend)) throw new Error('--backend is sqlite, postgres or both');
  return {
    backends: backend === 'both' ? ['sqlite', 'postgres'] : [backend],
    connections: list(values.connections),
    workers: list(values.workers),
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    baseline: !values['no-baseline'],
    build: !values['no-build'],
    out: values.out,
    cpuProfDir: values['cpu-prof'],
    ab: values.ab,
    abRuns: Math.max(1, Number(values['ab-runs'])),
    abInterleaveMs: values['ab-interleave'] === undefined ? undefined : Number(values['ab-interleave']),
  };
}

const log = (line) => process.stderr.write(`${line}\n`);

/** One server configuration (target × backend × workers), measured at every connection count. */
async function measureServer(config, options, context) {
  const rows = [];
  const label = `${config.target} ${config.backend} workers=${config.workers}${config.without ? ` without ${config.without}${config.alternateMs ? ` in every other ${config.alternateMs} ms` : ''}` : ''}`;
  log(`\n— ${label}: starting`);
  const databaseUrl = config.backend === 'postgres' ? recreateDatabase() : undefined;
  const nodeFlags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, `${config.backend}-w${config.workers}`)}`] : [];
  const server =
    config.target === 'keyless'
      ? await startKeyless({ workers: config.workers, databaseUrl, root: ROOT_USER, nodeFlags, without: config.without ? [config.without] : [], alternateMs: config.alternateMs })
      : await startBaseline({ workers: config.workers, responseBytes: context.sample.responseBytes, route: TOKEN_PATH });
  try {
    const browser = config.target === 'keyless' ? await signInRoot(server.base, ROOT_USER) : undefined;
    if (browser && !context.sample) {
      context.sample = await sampleRefresh(server.base, browser);
      log(`  a refresh request is ${Buffer.byteLength(context.sample.requestBody)} body bytes + a ${context.sample.dpop.length}-byte DPoP header; its response is ${context.sample.responseBytes} bytes`);
    }
    server.takeLog();
    for (const connections of options.connections) {
      const plan = {
        mode: config.target === 'keyless' ? 'refresh' : 'baseline',
        host: '127.0.0.1',
        port: server.port,
        path: TOKEN_PATH,
        connections,
        warmupMs: options.warmupS * 1000,
        durationMs: options.durationS * 1000,
        alternateMs: config.alternateMs,
      };
      if (browser) {
        const started = Date.now();
        plan.sessions = await createLoginSessions(server.base, browser, connections);
        log(`  ${connections} login sessions created over HTTP in ${Date.now() - started} ms`);
      } else {
        plan.fixed = { body: context.sample.requestBody, dpop: context.sample.dpop };
      }
      const result = await drive(plan, server.pid, config.backend === 'postgres' ? BENCH_DATABASE : undefined);
      const row = { target: config.target, backend: config.backend, workers: config.workers, without: config.without ?? '', run: config.run, connections, ...result };
      rows.push(...(result.windows ? splitWindows(row, config.without) : [row]));
      log(
        `  ${connections} connections: ${fixed(row.requestsPerSecond, 0)} req/s, p50 ${fixed(row.latencyMs.p50, 2)} ms, p99 ${fixed(row.latencyMs.p99, 2)} ms, ` +
          `errors ${row.errors.count}; CPU: server ${row.serverCpu?.total}% [${row.serverCpu?.perProcess.join(' + ')}] = ${fixed(row.serverCpuMsPerRequest, 3)} ms/request${row.databaseCpu ? `, PostgreSQL ${row.databaseCpu.total}%` : ''}, load generator ${Math.round(row.loadgenCpuPercent)}%, other ${row.otherCpuPercent}%`,
      );
      if (row.errors.first) {
        log(`  first error (HTTP ${row.errors.first.status}): ${row.errors.first.body}`);
        const serverLog = server.takeLog().trim();
        if (serverLog) log(`  the server's log during this row (last lines):\n${serverLog.split('\n').slice(-20).join('\n')}`);
      }
      server.takeLog();
    }
  } finally {
    await server.stop();
  }
  return rows;
}

/**
 * One interleaved row as its two sides: the answers of the windows with the knob on and of those
 * with it off. The server's CPU is read for the whole row only, so neither side has a figure.
 */
function splitWindows(row, knob) {
  const { windows, ...whole } = row;
  return [
    { ...whole, without: '', interleaved: true, ...windows.with, serverCpuMsPerRequest: NaN },
    { ...whole, without: knob, interleaved: true, ...windows.without, serverCpuMsPerRequest: NaN },
  ];
}

export function formatRows(rows) {
  const headers = ['target', 'backend', 'workers', 'without', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU %', 'server CPU ms/req', 'db CPU %', 'loadgen CPU %', 'other CPU %'];
  return formatTable(
    headers,
    rows.map((r) => [
      r.target,
      r.backend,
      r.workers,
      r.without || '-',
      r.connections,
      Math.round(r.requestsPerSecond),
      fixed(r.latencyMs.p50, 2),
      fixed(r.latencyMs.p99, 2),
      r.errors.count,
      r.serverCpu ? String(r.serverCpu.total) : '-',
      fixed(r.serverCpuMsPerRequest, 3),
      r.databaseCpu ? String(r.databaseCpu.total) : '-',
      String(Math.round(r.loadgenCpuPercent)),
      String(r.otherCpuPercent),
    ]),
  );
}

/** Issue 2's verdict, for each SQLite row at the target's connection count. */
export function verdicts(rows) {
  return rows
    .filter((r) => r.target === 'keyless' && !r.without && r.backend === TARGET.backend && r.connections === TARGET.connections)
    .map((r) => {
      const pass = r.requestsPerSecond >= TARGET.minRequestsPerSecond && r.latencyMs.p99 < TARGET.maxP99Ms && r.errors.count === 0;
      return `${pass ? 'PASS' : 'MISS'} sqlite, ${r.workers} worker(s), ${r.connections} connections: ${Math.round(r.requestsPerSecond)} req/s (target ≥ ${TARGET.minRequestsPerSecond}), p99 ${fixed(r.latencyMs.p99, 1)} ms (target < ${TARGET.maxP99Ms})`;
    });
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** For --ab: what the switched-off part costs, per backend × workers × connections, over the alternating runs. */
export function abCosts(rows, knob) {
  const groups = new Map();
  for (const r of rows.filter((row) => row.target === 'keyless')) {
    const key = `${r.backend} workers=${r.workers} connections=${r.connections}`;
    const group = groups.get(key) ?? { key, with: [], without: [] };
    (r.without === knob ? group.without : group.with).push(r);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.with.length > 0 && g.without.length > 0)
    .map((g) => {
      const rps = { with: mean(g.with.map((r) => r.requestsPerSecond)), without: mean(g.without.map((r) => r.requestsPerSecond)) };
      const cpu = { with: mean(g.with.map((r) => r.serverCpuMsPerRequest)), without: mean(g.without.map((r) => r.serverCpuMsPerRequest)) };
      // Each run's own cost (its two sides were measured next to each other), and their median:
      // one slow server start or a neighbour's burst moves a mean, not a median.
      const runCosts = g.with.map((w) => {
        const wo = g.without.find((r) => r.run === w.run);
        return wo ? 1 - w.requestsPerSecond / wo.requestsPerSecond : NaN;
      });
      const throughputCostMedian = median(runCosts.filter((c) => !Number.isNaN(c)));
      return { key: g.key, runs: g.with.length, rps, cpuMsPerRequest: cpu, throughputCost: 1 - rps.with / rps.without, cpuCost: cpu.with / cpu.without - 1, runCosts, throughputCostMedian };
    });
}

export async function runRefreshBenchmark(options) {
  const started = Date.now();
  // Read before building: the servers measured are built from this tree, whatever lands meanwhile.
  const git = gitState(ROOT);
  if (options.build) execFileSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: ROOT, stdio: 'inherit' });
  const configs = [];
  for (const workers of options.workers) {
    for (const backend of options.backends) {
      if (!options.ab) configs.push({ target: 'keyless', backend, workers });
      for (let run = 0; options.ab && run < options.abRuns; run++) {
        if (options.abInterleaveMs) {
          // One server for both sides, switching between them every few seconds: the machine's
          // drift and a fresh server's own variance fall on both alike.
          configs.push({ target: 'keyless', backend, workers, without: options.ab, alternateMs: options.abInterleaveMs, run });
          continue;
        }
        // Alternating, so a neighbour's burst on the shared machine falls on both sides alike.
        const pair = [{ target: 'keyless', backend, workers, run }, { target: 'keyless', backend, workers, without: options.ab, run }];
        configs.push(...(run % 2 === 0 ? pair : pair.reverse()));
      }
    }
    if (options.baseline) configs.push({ target: 'fastify-bare', backend: '-', workers });
  }
  const context = { sample: undefined };
  const rows = [];
  try {
    for (const config of configs) rows.push(...(await measureServer(config, options, context)));
  } finally {
    if (options.backends.includes('postgres')) dropDatabase();
  }
  const elapsedS = (Date.now() - started) / 1000;

  const date = new Date().toISOString().slice(0, 10);
  const out = options.out ?? join(ROOT, 'bench/results', `refresh-${date}.json`);
  const report = {
    benchmark: 'token-refresh',
    date: new Date().toISOString(),
    command: ['node', relative(ROOT, process.argv[1] ?? 'bench/refresh.mjs'), ...process.argv.slice(2)].join(' '),
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version, postgres: options.backends.includes('postgres') ? postgresVersion() : undefined },
    git,
    options: { ...options, out: undefined },
    target: TARGET,
    request: context.sample && { bodyBytes: Buffer.byteLength(context.sample.requestBody), dpopHeaderBytes: context.sample.dpop.length, responseBytes: context.sample.responseBytes },
    elapsedSeconds: Math.round(elapsedS),
    rows,
    ...(options.ab && { ab: { knob: options.ab, costs: abCosts(rows, options.ab) } }),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(`\nToken refresh benchmark — ${options.warmupS} s warm-up, ${options.durationS} s measured per row, ${availableParallelism()} CPUs\n\n`);
  process.stdout.write(`${formatRows(rows)}\n\n`);
  for (const line of verdicts(rows)) process.stdout.write(`${line}\n`);
  for (const c of report.ab?.costs ?? []) {
    process.stdout.write(
      `A/B ${options.ab}${options.abInterleaveMs ? ` interleaved every ${options.abInterleaveMs} ms` : ''}, ${c.key}, ${c.runs} run(s) each: ${Math.round(c.rps.with)} req/s with, ${Math.round(c.rps.without)} without — ` +
        `throughput cost ${fixed(c.throughputCost * 100, 1)}% (median of runs ${fixed(c.throughputCostMedian * 100, 1)}%: ${c.runCosts.map((x) => fixed(x * 100, 1)).join(', ')})` +
        (options.abInterleaveMs ? '\n' : `, server CPU ms/req ${fixed(c.cpuMsPerRequest.with, 3)} / ${fixed(c.cpuMsPerRequest.without, 3)} (+${fixed(c.cpuCost * 100, 1)}%)\n`),
    );
  }
  process.stdout.write(`\nResults: ${relative(process.cwd(), out)} (run took ${Math.round(elapsedS)} s)\n`);
  return report;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runRefreshBenchmark(parseRefreshArgs(process.argv.slice(2)));
}
