// The Node.js 24 move (issue 13), measured beside the build it replaced in one run: the refresh
// grant on SQLite (1 and 2 workers, 64 connections), STS GetCallerIdentity (1 worker, 64
// connections) and `keyless credential-process` start-up, each on both sides, the sides
// alternating round by round (A B, then B A, …) so a load spike on a shared machine hits both alike.
//
//   node bench/node-versions.mjs --baseline DIR [--baseline-node PATH] [--rounds 2] [--duration 8] [--out FILE]
//
// DIR is a checkout of the previous build installed under its own Node, for example:
//   git worktree add /tmp/keyless-node20 268bcb0 && (cd /tmp/keyless-node20 && PATH=/usr/bin:$PATH npm ci)
// The baseline side runs DIR's benchmark scripts under --baseline-node (default /usr/bin/node: the
// system's Node 20 on these machines); this side runs this checkout's under the Node that runs
// this script (Node 24 through npm: `npm run bench:node-versions -- --baseline DIR`). Each script
// starts its server with its own process.execPath, so the server runs under that side's Node.
// Server CPU per request is printed beside the rates: on a machine that other work shares, it moves
// much less than requests/s do. Start-up is each side's credential-process against its own `node -e 0` (bench/cli-startup.mjs),
// the ratio the start-up target is stated in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gitState } from './lib/git-state.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    'baseline-node': { type: 'string', default: '/usr/bin/node' },
    rounds: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});
if (!values.baseline) throw new Error('--baseline DIR: a checkout of the previous build, installed (see the header of bench/node-versions.mjs)');
const rounds = Number(values.rounds);

const version = (node) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const sides = [
  { name: 'baseline', dir: values.baseline, node: values['baseline-node'] },
  { name: 'this build', dir: ROOT, node: process.execPath },
].map((side) => ({ ...side, version: version(side.node), git: gitState(side.dir), samples: {} }));

// Both sides build once, each with its own Node, so no round pays for a build.
for (const side of sides) execFileSync(side.node, ['scripts/build.mjs'], { cwd: side.dir, stdio: 'inherit', env: envFor(side) });

/** The side's Node first on PATH, so anything its scripts start by name runs under it too. */
function envFor(side) {
  return { ...process.env, PATH: `${join(side.node, '..')}:${process.env.PATH}` };
}

const scratch = mkdtempSync(join(tmpdir(), 'keyless-bench-node-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Runs one of the side's benchmark scripts and returns its --out rows. */
function rowsOf(side, script, args) {
  const out = join(scratch, `${side.name.replace(/\W/g, '-')}-${script.replace(/\W/g, '-')}.json`);
  execFileSync(side.node, [`bench/${script}`, '--no-build', '--duration', values.duration, '--warmup', '2', '--out', out, ...args], { cwd: side.dir, stdio: ['ignore', 'ignore', 'inherit'], env: envFor(side) });
  return JSON.parse(readFileSync(out, 'utf8')).rows;
}

function record(side, key, value) {
  (side.samples[key] ??= []).push(value);
}

function measure(side) {
  for (const row of rowsOf(side, 'refresh.mjs', ['--backend', 'sqlite', '--connections', '64', '--workers', '1,2', '--no-baseline'])) {
    if (row.target !== 'keyless') continue;
    record(side, `refresh sqlite w${row.workers} req/s`, row.requestsPerSecond);
    record(side, `refresh sqlite w${row.workers} p99 ms`, row.latencyMs.p99);
    record(side, `refresh sqlite w${row.workers} server CPU ms/request`, row.serverCpuMsPerRequest);
  }
  for (const row of rowsOf(side, 'sts.mjs', ['--connections', '64', '--workers', '1'])) {
    if (row.target !== 'keyless') continue;
    record(side, 'GetCallerIdentity w1 req/s', row.requestsPerSecond);
    record(side, 'GetCallerIdentity w1 p99 ms', row.latencyMs.p99);
    record(side, 'GetCallerIdentity w1 server CPU ms/request', row.serverCpuMsPerRequest);
  }
  const startup = execFileSync(side.node, ['bench/cli-startup.mjs', '--no-build', '--runs', '30'], { cwd: side.dir, encoding: 'utf8', env: envFor(side) });
  const ratio = Number(startup.match(/keyless \/ node -e 0, wall median: ([\d.]+)×/)?.[1]);
  const floor = Number(startup.match(/^node -e 0\s+([\d.]+)/m)?.[1]);
  record(side, 'credential-process / node -e 0 (wall)', ratio);
  record(side, 'node -e 0 ms (wall median)', floor);
}

for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? sides : [...sides].reverse();
  for (const side of order) {
    process.stderr.write(`round ${round + 1}/${rounds}: ${side.name} (${side.version})…\n`);
    measure(side);
  }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const [baseline, current] = sides;
const rows = Object.keys(current.samples).map((metric) => {
  const a = median(baseline.samples[metric] ?? [NaN]);
  const b = median(current.samples[metric]);
  return { metric, baseline: a, current: b, ratio: b / a, baselineRuns: baseline.samples[metric] ?? [], currentRuns: current.samples[metric] };
});

console.log(`\nNode ${current.version} (this build, ${current.git?.commit ?? '?'}) beside Node ${baseline.version} (the baseline checkout, ${baseline.git?.commit ?? '?'}), ${rounds} alternating rounds of ${values.duration} s, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; medians:\n`);
console.log(formatTable(
  ['metric', `Node ${baseline.version}`, `Node ${current.version}`, 'ratio'],
  rows.map((row) => [row.metric, fixed(row.baseline, 2), fixed(row.current, 2), `${fixed(row.ratio, 3)}×`]),
));
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify({ benchmark: 'node-versions', date: new Date().toISOString(), rounds, duration: Number(values.duration), sides: sides.map(({ name, version, git }) => ({ name, version, git })), rows }, null, 2)}\n`);
}
