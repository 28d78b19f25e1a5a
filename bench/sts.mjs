// GetCallerIdentity with SigV4 verification against a bare Fastify route answering the same XML,
// side by side in one run (issue 6: ≥ 60% of the baseline's throughput at 64 connections), each
// with the same worker count. One request is signed once per row and replayed: SigV4 signatures
// stay valid for the 5-minute skew window, so the load generator (autocannon, its own process)
// does no crypto per request. See bench/README.md, "The GetCallerIdentity benchmark".
//
//   node bench/sts.mjs [--connections 16,64] [--workers 1,2] [--duration 10] [--warmup 2]
//                      [--baseline-headers signed|form] [--no-build] [--out FILE] [--cpu-prof DIR]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { driveAutocannon } from './lib/autocannon-drive.mjs';
import { Sha256 } from './lib/sha256.mjs';
import { freePort, startKeyless } from './lib/servers.mjs';
import { createLoginSession, sampleRefresh, signInRoot } from './lib/sessions.mjs';
import { gitState } from './lib/git-state.mjs';
import { writeReport } from './lib/report.mjs';
import { fixed, formatTable } from './lib/table.mjs';

/**
 * One signed request replayed by every connection is one client (one address, one access key) to
 * the per-client limit (KEYLESS_RATE_LIMIT_AWS_API, 30,000/min): off, so the row measures the API.
 */
const NO_AWS_API_RATE_LIMIT = { KEYLESS_RATE_LIMIT_AWS_API: '0' };

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROOT_USER = { email: 'bench@example.com', password: 'bench-password-123' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const FORM = 'application/x-www-form-urlencoded';
const BASELINE = fileURLToPath(new URL('./lib/sts-baseline-server.mjs', import.meta.url));

/** Issue 6's target: Keyless at ≥ 60% of the baseline's req/s, 64 connections, same worker count. */
export const TARGET = { connections: 64, minShareOfBaseline: 0.6 };

const list = (value) => value.split(',').map((v) => Number(v.trim())).filter((n) => Number.isInteger(n) && n > 0);
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '16,64' },
    workers: { type: 'string', default: '1,2' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'baseline-headers': { type: 'string', default: 'signed' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const options = {
  connections: list(values.connections),
  workers: list(values.workers),
  durationS: Number(values.duration),
  warmupS: Number(values.warmup),
  // signed: the baseline receives Keyless's very request (Authorization, X-Amz-Date, the session
  // token…), so both parse the same bytes; form: only Content-Type, as before this option.
  baselineHeaders: values['baseline-headers'],
  build: !values['no-build'],
  out: values.out,
  cpuProfDir: values['cpu-prof'],
};
if (!['signed', 'form'].includes(options.baselineHeaders)) throw new Error('--baseline-headers is signed or form');
const log = (line) => process.stderr.write(`${line}\n`);

/** One row against the server at `port`: the replayed signed request, and its CPU (lib/autocannon-drive.mjs). */
async function drive({ port, headers, connections, durationS, serverPid }) {
  const measured = await driveAutocannon({ url: `http://127.0.0.1:${port}/`, connections, durationS, method: 'POST', body: BODY, headers }, serverPid);
  const { result, server } = measured;
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, mean: result.latency.mean, max: result.latency.max },
    errors: result.non2xx + result.errors + result.timeouts,
    serverCpu: { total: server.total, perProcess: server.perProcess },
    serverCpuMsPerRequest: measured.serverCpuMsPerRequest,
    serverSystemCpuMsPerRequest: measured.serverSystemCpuMsPerRequest,
    loadgenCpuPercent: measured.loadgenCpuPercent,
    otherCpuPercent: measured.otherCpuPercent,
  };
}

async function startBaseline(workers, xml) {
  const port = await freePort();
  const child = spawn(process.execPath, [BASELINE], { env: { ...process.env, PORT: String(port), XML: xml, WORKERS: String(workers) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await once(child.stderr, 'data');
  return {
    port,
    pid: child.pid,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One worker count: Keyless and the baseline, each at every connection count. */
async function measureWorkers(workers) {
  log(`\n— workers=${workers}: starting`);
  const nodeFlags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, `sqlite-w${workers}`)}`] : [];
  const keyless = await startKeyless({ env: NO_AWS_API_RATE_LIMIT, workers, root: ROOT_USER, nodeFlags });
  const rows = [];
  let baseline;
  try {
    const browser = await signInRoot(keyless.base, ROOT_USER);
    await createLoginSession(keyless.base, browser);
    const credentials = (await sampleRefresh(keyless.base, browser)).response.accessToken;
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'sts', sha256: Sha256 });
    const signed = async () => {
      const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: keyless.port, path: '/', headers: { 'content-type': FORM, host: `127.0.0.1:${keyless.port}` }, body: BODY };
      return (await signer.sign(request)).headers;
    };
    const check = await fetch(`${keyless.base}/`, { method: 'POST', headers: await signed(), body: BODY });
    const xml = await check.text();
    if (check.status !== 200) throw new Error(`GetCallerIdentity failed: ${check.status} ${xml}`);
    baseline = await startBaseline(workers, xml);
    keyless.takeLog();
    for (const connections of options.connections) {
      const targets = [
        { target: 'fastify-bare', port: baseline.port, pid: baseline.pid, headers: async () => (options.baselineHeaders === 'signed' ? signed() : { 'content-type': FORM }) },
        { target: 'keyless', port: keyless.port, pid: keyless.pid, headers: signed },
      ];
      for (const { target, port, pid, headers } of targets) {
        if (options.warmupS > 0) await drive({ port, headers: await headers(), connections, durationS: options.warmupS, serverPid: pid });
        const row = { target, workers, connections, ...(await drive({ port, headers: await headers(), connections, durationS: options.durationS, serverPid: pid })) };
        rows.push(row);
        log(
          `  ${target} ${connections} connections: ${fixed(row.requestsPerSecond, 0)} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, errors ${row.errors}; ` +
            `CPU: server ${row.serverCpu.total}% [${row.serverCpu.perProcess.join(' + ')}] = ${fixed(row.serverCpuMsPerRequest, 3)} ms/request (${fixed(row.serverSystemCpuMsPerRequest, 3)} in the kernel), load generator ${row.loadgenCpuPercent}%, other ${row.otherCpuPercent}%`,
        );
        if (row.errors > 0 && target === 'keyless') log(`  the server's log during this row (last lines):\n${keyless.takeLog().trim().split('\n').slice(-20).join('\n')}`);
      }
    }
  } finally {
    await baseline?.stop();
    await keyless.stop();
  }
  return rows;
}

const baselineOf = (rows, row) => rows.find((r) => r.target === 'fastify-bare' && r.workers === row.workers && r.connections === row.connections);

function formatRows(rows) {
  const headers = ['target', 'workers', 'connections', 'req/s', 'of baseline', 'p50 ms', 'p99 ms', 'errors', 'server CPU %', 'server CPU ms/req', 'in kernel ms/req', 'loadgen CPU %', 'other CPU %'];
  return formatTable(
    headers,
    rows.map((r) => [
      r.target,
      r.workers,
      r.connections,
      Math.round(r.requestsPerSecond),
      `${Math.round((r.requestsPerSecond / baselineOf(rows, r).requestsPerSecond) * 100)}%`,
      fixed(r.latencyMs.p50, 2),
      fixed(r.latencyMs.p99, 2),
      r.errors,
      String(r.serverCpu.total),
      fixed(r.serverCpuMsPerRequest, 3),
      fixed(r.serverSystemCpuMsPerRequest, 3),
      String(r.loadgenCpuPercent),
      String(r.otherCpuPercent),
    ]),
  );
}

function verdicts(rows) {
  return rows
    .filter((r) => r.target === 'keyless' && r.connections === TARGET.connections)
    .map((r) => {
      const base = baselineOf(rows, r);
      const share = r.requestsPerSecond / base.requestsPerSecond;
      const pass = share >= TARGET.minShareOfBaseline && r.errors === 0;
      return `${pass ? 'PASS' : 'MISS'} ${r.workers} worker(s) each, ${r.connections} connections: keyless ${Math.round(r.requestsPerSecond)} req/s = ${Math.round(share * 100)}% of the baseline's ${Math.round(base.requestsPerSecond)} (target ≥ ${TARGET.minShareOfBaseline * 100}%)`;
    });
}

const started = Date.now();
// Read before building: the servers measured are built from this tree, whatever lands meanwhile.
const git = gitState(ROOT);
const loadBefore = loadavg();
if (options.build) execFileSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: ROOT, stdio: 'inherit' });
const rows = [];
for (const workers of options.workers) rows.push(...(await measureWorkers(workers)));
const elapsedS = (Date.now() - started) / 1000;

const out = writeReport({ root: ROOT, name: 'sts', script: 'bench/sts.mjs', benchmark: 'sts-get-caller-identity', options, git, loadBefore, elapsedS, rows, extra: { target: TARGET, backend: 'sqlite' } });

process.stdout.write(`\nGetCallerIdentity benchmark — SQLite, ${options.warmupS} s warm-up, ${options.durationS} s measured per row, ${availableParallelism()} CPUs, load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n\n`);
process.stdout.write(`${formatRows(rows)}\n\n`);
for (const line of verdicts(rows)) process.stdout.write(`${line}\n`);
process.stdout.write(`\nResults: ${relative(process.cwd(), out)} (run took ${Math.round(elapsedS)} s)\n`);
