// AssumeRoleWithWebIdentity (a cached JWKS) and AssumeRole beside the bare route and
// GetCallerIdentity in the same run (issue 16: ≥ 2,000/s and ≥ 3,000/s on SQLite, one worker,
// 64 connections, p99 < 50 ms). Each request is built once and replayed by autocannon (its own
// process): the web identity token stays valid for the run, and a SigV4 signature for its
// 5-minute skew window, so the load generator does no crypto. Every answer of both STS rows
// issues a new role session with its credentials and CloudTrail record. Set-up (not measured):
// a root sign-in, through IAM's Query API an IAM user allowed sts:AssumeRole, two roles and an
// OpenID provider for a small ES256 issuer (discovery + JWKS) this process serves on 127.0.0.1.
//
//   node bench/assume-role.mjs [--connections 64] [--duration 10] [--warmup 2] [--no-build] [--out FILE] [--cpu-prof DIR]
//                              [--only fastify-bare,get-caller-identity,assume-role-with-web-identity,assume-role]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { driveAutocannon } from './lib/autocannon-drive.mjs';
import { Sha256 } from './lib/sha256.mjs';
import { freePort, startKeyless } from './lib/servers.mjs';
import { createLoginSession, sampleRefresh, signInRoot, signInUser } from './lib/sessions.mjs';
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
const USER = { username: 'bench-dev', password: 'bench-dev-password-123' };
const FORM = 'application/x-www-form-urlencoded';
const BASELINE = fileURLToPath(new URL('./lib/sts-baseline-server.mjs', import.meta.url));
const GET_CALLER_IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** Issue 16's targets, at 64 connections with one worker. */
export const TARGETS = { 'assume-role-with-web-identity': 2000, 'assume-role': 3000, p99Ms: 50, connections: 64 };

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
const options = { connections: Number(values.connections), durationS: Number(values.duration), warmupS: Number(values.warmup), build: !values['no-build'], out: values.out };
const log = (line) => process.stderr.write(`${line}\n`);

/** One row against the server at `port` (lib/autocannon-drive.mjs). */
async function drive({ port, body, headers, serverPid, durationS = options.durationS }) {
  const measured = await driveAutocannon({ url: `http://127.0.0.1:${port}/`, connections: options.connections, durationS, method: 'POST', body, headers }, serverPid);
  const { result, server } = measured;
  return {
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.non2xx + result.errors + result.timeouts,
    serverCpuPercent: server.total,
    serverCpuMsPerRequest: measured.serverCpuMsPerRequest,
    loadgenCpuPercent: measured.loadgenCpuPercent,
    otherCpuPercent: measured.otherCpuPercent,
  };
}

/** A minimal OpenID issuer: discovery and one ES256 key, as CI systems publish them. */
async function startIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
  let jwksFetches = 0;
  const server = createServer((request, response) => {
    const send = (value) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (request.url === '/.well-known/openid-configuration') return send({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256'] });
    if (request.url === '/jwks') return (jwksFetches++, send({ keys: [jwk] }));
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'bench-1' }).sign(privateKey);
  return { issuer, sign, jwksFetches: () => jwksFetches, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A signed AWS query-protocol request: its headers, for `body` at this server. */
async function signedHeaders(keyless, credentials, service, body) {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256 });
  const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: keyless.port, path: '/', headers: { 'content-type': FORM, host: `127.0.0.1:${keyless.port}` }, body };
  return (await signer.sign(request)).headers;
}

async function call(keyless, credentials, service, params) {
  const body = new URLSearchParams(params).toString();
  const response = await fetch(`${keyless.base}/`, { method: 'POST', headers: credentials ? await signedHeaders(keyless, credentials, service, body) : { 'content-type': FORM }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${params.Action}: ${response.status} ${text}`);
  return text;
}

const iam = (keyless, credentials, params) => call(keyless, credentials, 'iam', { Version: '2010-05-08', ...params });
const field = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const trust = (statement) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

async function setUp(keyless, issuer) {
  const rootBrowser = await signInRoot(keyless.base, ROOT_USER);
  const root = (await sampleRefresh(keyless.base, rootBrowser)).response.accessToken;
  const account = field(await call(keyless, root, 'sts', { Action: 'GetCallerIdentity', Version: '2011-06-15' }), 'Account');
  await iam(keyless, root, { Action: 'CreateUser', UserName: USER.username });
  await iam(keyless, root, { Action: 'CreateLoginProfile', UserName: USER.username, Password: USER.password });
  await iam(keyless, root, { Action: 'AttachUserPolicy', UserName: USER.username, PolicyArn: 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess' });
  const devRole = `arn:aws:iam::${account}:role/bench-developer`;
  await iam(keyless, root, { Action: 'PutUserPolicy', UserName: USER.username, PolicyName: 'assume', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: devRole }] }) });
  await iam(keyless, root, { Action: 'CreateRole', RoleName: 'bench-developer', AssumeRolePolicyDocument: trust({ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }) });
  const provider = field(await iam(keyless, root, { Action: 'CreateOpenIDConnectProvider', Url: issuer.issuer, 'ClientIDList.member.1': 'sts.amazonaws.com' }), 'OpenIDConnectProviderArn');
  const path = issuer.issuer.replace(/^https?:\/\//, '');
  const ciRole = `arn:aws:iam::${account}:role/bench-ci`;
  await iam(keyless, root, { Action: 'CreateRole', RoleName: 'bench-ci', AssumeRolePolicyDocument: trust({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${path}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${path}:sub`]: 'repo:bench/*' } } }) });
  const userBrowser = await signInUser(keyless.base, { account, ...USER });
  const user = (await sampleRefresh(keyless.base, userBrowser)).response.accessToken;
  await createLoginSession(keyless.base, userBrowser);
  return { account, user, devRole, ciRole };
}

const started = Date.now();
const git = gitState(ROOT);
const loadBefore = loadavg();
if (options.build) execFileSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: ROOT, stdio: 'inherit' });
const issuer = await startIssuer();
const keyless = await startKeyless({ env: NO_AWS_API_RATE_LIMIT, workers: 1, root: ROOT_USER, nodeFlags: values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [] });
const rows = [];
let baseline;
try {
  const { user, devRole, ciRole } = await setUp(keyless, issuer);
  const now = Math.floor(Date.now() / 1000);
  const token = await issuer.sign({ iss: issuer.issuer, aud: 'sts.amazonaws.com', sub: 'repo:bench/app:ref:refs/heads/main', iat: now, exp: now + 3600 });
  const webIdentityBody = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ciRole, RoleSessionName: 'bench', WebIdentityToken: token }).toString();
  const assumeRoleBody = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: devRole, RoleSessionName: 'bench', DurationSeconds: '900' }).toString();
  // One of each first: both must succeed, and the JWKS is in the cache before the load.
  const identityXml = await call(keyless, user, 'sts', { Action: 'GetCallerIdentity', Version: '2011-06-15' });
  await call(keyless, undefined, 'sts', Object.fromEntries(new URLSearchParams(webIdentityBody)));
  await call(keyless, user, 'sts', Object.fromEntries(new URLSearchParams(assumeRoleBody)));
  const baselinePort = await freePort();
  const baselineProcess = spawn(process.execPath, [BASELINE], { env: { ...process.env, PORT: String(baselinePort), XML: identityXml, WORKERS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  await once(baselineProcess.stderr, 'data');
  baseline = { port: baselinePort, pid: baselineProcess.pid, stop: async () => (baselineProcess.kill('SIGTERM'), await once(baselineProcess, 'exit')) };
  keyless.takeLog();
  const targets = [
    { target: 'fastify-bare', port: baseline.port, pid: baseline.pid, body: GET_CALLER_IDENTITY, headers: async () => ({ 'content-type': FORM }) },
    { target: 'get-caller-identity', port: keyless.port, pid: keyless.pid, body: GET_CALLER_IDENTITY, headers: () => signedHeaders(keyless, user, 'sts', GET_CALLER_IDENTITY) },
    { target: 'assume-role-with-web-identity', port: keyless.port, pid: keyless.pid, body: webIdentityBody, headers: async () => ({ 'content-type': FORM }) },
    { target: 'assume-role', port: keyless.port, pid: keyless.pid, body: assumeRoleBody, headers: () => signedHeaders(keyless, user, 'sts', assumeRoleBody) },
  ];
  const only = values.only?.split(',');
  for (const { target, port, pid, body, headers } of targets.filter((t) => !only || only.includes(t.target))) {
    if (options.warmupS > 0) await drive({ port, body, headers: await headers(), serverPid: pid, durationS: options.warmupS });
    const row = { target, connections: options.connections, loadavg: loadavg()[0], ...(await drive({ port, body, headers: await headers(), serverPid: pid })) };
    rows.push(row);
    log(`  ${target}: ${fixed(row.requestsPerSecond, 0)} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, errors ${row.errors}; server CPU ${row.serverCpuPercent}% = ${fixed(row.serverCpuMsPerRequest, 3)} ms/request, load generator ${row.loadgenCpuPercent}%, other ${row.otherCpuPercent}%`);
    if (row.errors > 0 && port === keyless.port) log(`  the server's log during this row (last lines):\n${keyless.takeLog().trim().split('\n').slice(-20).join('\n')}`);
  }
  log(`  JWKS fetched ${issuer.jwksFetches()} time(s) during the run`);
} finally {
  await baseline?.stop();
  await keyless.stop();
  await issuer.close();
}
const elapsedS = (Date.now() - started) / 1000;

const verdicts = rows
  .filter((r) => r.target in TARGETS)
  .map((r) => {
    const pass = r.requestsPerSecond >= TARGETS[r.target] && r.latencyMs.p99 < TARGETS.p99Ms && r.errors === 0;
    return `${pass ? 'PASS' : 'MISS'} ${r.target}: ${Math.round(r.requestsPerSecond)} req/s (target ≥ ${TARGETS[r.target]}), p99 ${r.latencyMs.p99} ms (target < ${TARGETS.p99Ms}), errors ${r.errors}`;
  });
const out = writeReport({ root: ROOT, name: 'assume-role', script: 'bench/assume-role.mjs', benchmark: 'sts-assume-role', options, git, loadBefore, elapsedS, rows, extra: { targets: TARGETS, backend: 'sqlite', workers: 1 } });
process.stdout.write(`\nSTS AssumeRole benchmark — SQLite, 1 worker, ${options.connections} connections, ${options.warmupS} s warm-up, ${options.durationS} s measured per row, ${availableParallelism()} CPUs, load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n\n`);
process.stdout.write(
  `${formatTable(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU %', 'server CPU ms/req', 'loadgen CPU %', 'other CPU %', 'load avg'],
    rows.map((r) => [r.target, Math.round(r.requestsPerSecond), fixed(r.latencyMs.p50, 2), fixed(r.latencyMs.p99, 2), r.errors, String(r.serverCpuPercent), fixed(r.serverCpuMsPerRequest, 3), String(r.loadgenCpuPercent), String(r.otherCpuPercent), r.loadavg.toFixed(2)]),
  )}\n\n`,
);
for (const line of verdicts) process.stdout.write(`${line}\n`);
process.stdout.write(`\nResults: ${relative(process.cwd(), out)} (run took ${Math.round(elapsedS)} s)\n`);
