// GetCallerIdentity with SigV4 verification against a bare Fastify route answering the same XML,
// side by side in one run (issue 6: ≥ 60% of the baseline's throughput at 64 connections).
// One request is signed once and replayed: SigV4 signatures stay valid for the 5-minute skew
// window, so the load generator (autocannon, its own process) does no crypto per request.
//
//   node bench/sts.mjs [--connections 16,64] [--duration 10]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './lib/sha256.mjs';
import { freePort, startKeyless } from './lib/servers.mjs';
import { createLoginSession, sampleRefresh, signInRoot } from './lib/sessions.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const connections = (args.connections ?? '16,64').split(',').map(Number);
const duration = Number(args.duration ?? 10);
const ROOT = { email: 'bench@example.com', password: 'bench-password-123' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const AUTOCANNON = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));

spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), 'server'], { stdio: 'inherit' });
const keyless = await startKeyless({ workers: 1, root: ROOT });
try {
  const browser = await signInRoot(keyless.base, ROOT);
  await createLoginSession(keyless.base, browser);
  const { response } = await sampleRefresh(keyless.base, browser);
  const credentials = response.accessToken;

  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'sts', sha256: Sha256 });
  const signFor = async (port) => {
    const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded', host: `127.0.0.1:${port}` }, body: BODY };
    return (await signer.sign(request)).headers;
  };

  const keylessHeaders = await signFor(keyless.port);
  const check = await fetch(`${keyless.base}/`, { method: 'POST', headers: keylessHeaders, body: BODY });
  const xml = await check.text();
  if (check.status !== 200) throw new Error(`GetCallerIdentity failed: ${check.status} ${xml}`);

  const basePort = await freePort();
  const baseline = spawn(process.execPath, [fileURLToPath(new URL('./lib/sts-baseline-server.mjs', import.meta.url))], { env: { ...process.env, PORT: String(basePort), XML: xml }, stdio: ['ignore', 'ignore', 'pipe'] });
  await once(baseline.stderr, 'data');

  const run = (port, headers, c) => {
    const flags = ['-c', String(c), '-d', String(duration), '-m', 'POST', '-b', BODY, '--json'];
    for (const [k, v] of Object.entries(headers)) flags.push('-H', `${k}=${v}`);
    const out = spawnSync(AUTOCANNON, [...flags, `http://127.0.0.1:${port}/`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const result = JSON.parse(out.stdout);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
  };

  const rows = [];
  for (const c of connections) {
    const base = run(basePort, { 'content-type': 'application/x-www-form-urlencoded' }, c);
    const kl = run(keyless.port, await signFor(keyless.port), c);
    rows.push(['fastify-bare', c, fixed(base.rps, 0), fixed(base.p50, 2), fixed(base.p99, 2), base.non2xx, '100%']);
    rows.push(['keyless GetCallerIdentity', c, fixed(kl.rps, 0), fixed(kl.p50, 2), fixed(kl.p99, 2), kl.non2xx, `${fixed((kl.rps / base.rps) * 100, 0)}%`]);
  }
  baseline.kill('SIGTERM');
  console.log(formatTable(['target', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'of baseline'], rows));
  console.log('target: keyless ≥ 60% of the baseline at 64 connections (SQLite, 1 worker each)');
} finally {
  await keyless.stop();
}
