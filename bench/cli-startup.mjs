// Start-up benchmark for `keyless credential-process`, which runs before every AWS CLI call.
// Issue 6's targets, with valid credentials in the cache (no refresh):
//   keyless credential-process  ≤ 1.5 × `node -e 0`
//   keyless credential-process  ≥ 5 × faster than `aws configure export-credentials --format process`
//                                for a profile holding the same credentials.
//
//   node bench/cli-startup.mjs [--runs 40] [--warmup 3] [--hyperfine] [--no-build] [--aws PATH] [--check]
//
// Default method: our own spawn timing, the commands *interleaved* round by round, so a load
// spike on a shared machine hits every command alike; median and p90 (nearest rank) per command,
// of wall time and, in rounds of their own, of CPU time (user + system of the process tree, from
// bash's `times`, to the millisecond), which waiting for a busy CPU does not inflate.
// `--hyperfine` hands the same commands to hyperfine (`-N`, no shell) instead, which runs them
// one after another. The AWS CLI row uses Debian's awscli (v2 packaging) at /usr/bin/aws when it
// has `configure export-credentials`; with a v1 CLI, which lacks it, the nearest equivalent
// `aws configure get aws_access_key_id` is timed and labelled so.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { newDpopKey } from './lib/dpop.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CREDENTIAL_PROCESS_BUNDLE = join(REPO, 'packages/cli/dist/credential-process.cjs');
const KEYLESS_BIN = join(REPO, 'packages/keyless/bin/keyless.cjs');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
    hyperfine: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    aws: { type: 'string', default: '/usr/bin/aws' },
    check: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const warmup = Number(args.warmup);

if (!args['no-build']) execFileSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: REPO, stdio: 'inherit' });

// A home with one logged-in profile `p` (fresh for 12 h) and, for the AWS CLI, a profile `q`
// holding the very same credentials as static keys.
const home = mkdtempSync(join(tmpdir(), 'keyless-bench-startup-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const principal = 'arn:aws:iam::111111111111:user/alice';
const credentials = {
  accessKeyId: 'ASIAQWERTYUIOPASDFGH',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: `IQoKbGVzcw${'A'.repeat(120)}`,
};
mkdirSync(join(home, '.aws', 'login', 'cache'), { recursive: true, mode: 0o700 });
writeFileSync(
  join(home, '.aws', 'login', 'cache', `${createHash('sha256').update(principal).digest('hex')}.json`),
  JSON.stringify({
    accessToken: { ...credentials, accountId: '111111111111', expiresAt: new Date(Date.now() + 12 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    tokenType: 'aws_sigv4',
    clientId: 'arn:aws:signin:::devtools/same-device',
    refreshToken: 'unused',
    dpopKey: createPrivateKey({ key: newDpopKey(), format: 'jwk' }).export({ type: 'sec1', format: 'pem' }).toString(),
    signInRegion: 'us-east-1',
  }),
  { mode: 0o600 },
);
writeFileSync(join(home, '.aws', 'config'), `[profile p]\nlogin_session = ${principal}\nregion = us-east-1\n\n[profile q]\nregion = us-east-1\n`);
writeFileSync(
  join(home, '.aws', 'credentials'),
  `[q]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\naws_session_token = ${credentials.sessionToken}\n`,
  { mode: 0o600 },
);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };

const awsBaseline = chooseAwsBaseline(args.aws);
const commands = [
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  { name: 'keyless credential-process (dist/credential-process.cjs)', argv: [process.execPath, CREDENTIAL_PROCESS_BUNDLE, 'credential-process', '--profile', 'p'] },
  { name: 'keyless credential-process (bin/keyless.cjs)', argv: [process.execPath, KEYLESS_BIN, 'credential-process', '--profile', 'p'] },
  ...(awsBaseline ? [awsBaseline] : []),
];

// Every command must work before it is timed.
for (const command of commands) {
  const result = spawnSync(command.argv[0], command.argv.slice(1), { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.name} failed (${result.status}): ${result.stderr}`);
}
const keylessOut = JSON.parse(spawnSync(process.execPath, [CREDENTIAL_PROCESS_BUNDLE, 'credential-process', '--profile', 'p'], { env, encoding: 'utf8' }).stdout);
if (keylessOut.AccessKeyId !== credentials.accessKeyId) throw new Error('keyless printed other credentials');

const results = args.hyperfine ? timeWithHyperfine(commands) : timeInterleaved(commands);
report(results);

function chooseAwsBaseline(aws) {
  const version = spawnSync(aws, ['--version'], { env, encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    console.log(`(no AWS CLI at ${aws}: its row is left out)`);
    return undefined;
  }
  const label = (version.stdout || version.stderr).trim().split(' ')[0];
  const canExport = spawnSync(aws, ['configure', 'export-credentials', '--profile', 'q', '--format', 'process'], { env, encoding: 'utf8' }).status === 0;
  return canExport
    ? { name: `aws configure export-credentials --format process (${label})`, argv: [aws, 'configure', 'export-credentials', '--profile', 'q', '--format', 'process'], aws: true }
    : { name: `aws configure get aws_access_key_id (${label}: no export-credentials)`, argv: [aws, 'configure', 'get', 'aws_access_key_id', '--profile', 'q'], aws: true };
}

function timeInterleaved(list) {
  const wall = list.map(() => []);
  const cpu = list.map(() => []);
  const bash = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));
  for (let round = -warmup; round < runs; round++) {
    list.forEach((command, i) => {
      const started = process.hrtime.bigint();
      // Pipes, as botocore's subprocess.Popen(stdout=PIPE, stderr=PIPE) runs a credential_process.
      const result = spawnSync(command.argv[0], command.argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`${command.name} failed in round ${round}`);
      if (round >= 0) wall[i].push(ms);
    });
    if (!bash) continue;
    list.forEach((command, i) => {
      // `times` prints the shell's own CPU, then its children's: `0m0.085s 0m0.021s`.
      const result = spawnSync(bash, ['-c', '"$@"; times >&2', 'time', ...command.argv], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      const children = /(\d+)m(\d+\.\d+)s (\d+)m(\d+\.\d+)s\s*$/.exec(result.stderr);
      if (round >= 0 && children) cpu[i].push((Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000);
    });
  }
  return list.map((command, i) => ({ ...command, ...summarize(wall[i]), cpu: cpu[i].length ? summarize(cpu[i]) : undefined }));
}

function timeWithHyperfine(list) {
  const out = join(home, 'hyperfine.json');
  const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  execFileSync('hyperfine', ['-N', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out, ...list.map((c) => c.argv.map(quote).join(' '))], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const { results: measured } = JSON.parse(readFileSync(out, 'utf8'));
  return list.map((command, i) => ({ ...command, ...summarize(measured[i].times.map((seconds) => seconds * 1000)) }));
}

function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  return { count: sorted.length, median: rank(50), p90: rank(90), min: sorted[0] };
}

function report(rows) {
  const method = args.hyperfine ? 'hyperfine -N' : 'interleaved spawnSync';
  console.log(`\nStart-up, ${rows[0].count} runs each (${method}), valid cached credentials, ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}:\n`);
  const width = Math.max(...rows.map((row) => row.name.length));
  const cpuColumns = rows[0].cpu !== undefined;
  console.log(`${'command'.padEnd(width)}  wall median   p90      min${cpuColumns ? '   | cpu median   p90' : ''}`);
  for (const row of rows) {
    const cpu = row.cpu ? `   | ${row.cpu.median.toFixed(1).padStart(10)} ${row.cpu.p90.toFixed(1).padStart(6)}` : '';
    console.log(`${row.name.padEnd(width)}  ${row.median.toFixed(1).padStart(11)} ${row.p90.toFixed(1).padStart(6)} ${row.min.toFixed(1).padStart(7)}${cpu}   ms`);
  }
  const [node, keyless] = rows;
  const aws = rows.find((row) => row.aws);
  const verdict = (ok) => (ok ? 'met' : 'NOT MET');
  const vsNode = keyless.median / node.median;
  let failed = vsNode > 1.5;
  console.log(`\nkeyless / node -e 0, wall median: ${vsNode.toFixed(2)}×   (target ≤ 1.50×: ${verdict(vsNode <= 1.5)})`);
  if (keyless.cpu) console.log(`keyless / node -e 0, cpu median:  ${(keyless.cpu.median / node.cpu.median).toFixed(2)}×`);
  if (aws) {
    const vsAws = aws.median / keyless.median;
    failed ||= vsAws < 5;
    console.log(`aws / keyless, wall median:       ${vsAws.toFixed(1)}×    (target ≥ 5×: ${verdict(vsAws >= 5)})`);
    if (keyless.cpu) console.log(`aws / keyless, cpu median:        ${(aws.cpu.median / keyless.cpu.median).toFixed(1)}×`);
  }
  if (args.check && failed) process.exitCode = 1;
}
