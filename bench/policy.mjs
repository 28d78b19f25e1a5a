// Policy evaluation throughput on one core (issue 4's target: ≥ 200,000 decisions/s for a principal
// with 10 attached policies of 10 statements under a 3-level SCP path).
//
//   node --import tsx bench/policy.mjs [--seconds 2] [--runs 5] [--warmup 1]
//
// Each row: warm-up, then `--runs` windows of at least `--seconds` each, calling the row's step in
// a tight loop on this thread; the figures are the median window's. Two rates per window: per second
// of wall time, and per second of CPU time of this process (user + system, which includes V8's GC
// threads) — on a shared machine the second is the one that says what one core does, and it is the
// one checked against the target. Rows, all in one run so they share the machine's state:
//   baseline: lookups   what a hash-indexed store costs with no matching at all: per decision one
//                       Map.get per policy (13) and one string compare per statement (100+)
//   evaluate: empty     evaluate() on an empty PolicySet: the fixed cost (request view, decision)
//   evaluate: 10×10+SCP the workload: 10 request shapes in turn (bench/policy-fixtures.mjs)
//   … varied            the same shapes with a different object key, instance id and user each
//                       time (policy variables filled per user, resources never repeat)
//   … traced            with { trace: true }, as `keyless admin simulate` runs it
import os from 'node:os';
import { compilePolicy, evaluate, parsePolicyDocument } from '../packages/server/src/iam/policy/index.ts';
import { ACCOUNT, identityPolicies, principal, requests, scpLevels } from './policy-fixtures.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const TARGET = 200_000;

function parseArgs(argv) {
  const options = { seconds: 2, runs: 5, warmup: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (!(name in options)) throw new Error(`unknown option ${argv[i]} (expected --seconds, --runs, --warmup)`);
    options[name] = Number(argv[i + 1]);
  }
  return options;
}

function buildSet() {
  const identity = identityPolicies.map(({ arn, document }) => compilePolicy(parsePolicyDocument(JSON.stringify(document)), { kind: 'managed', arn }));
  const scpPath = scpLevels.map(({ target, policies }) =>
    policies.map(({ id, document }) => compilePolicy(parsePolicyDocument(JSON.stringify(document), { kind: 'scp' }), { kind: 'scp', id, target })),
  );
  return { identityPolicies: identity, scpPath, subjectToScps: true, isRoot: false };
}

/** Calls step(i) for i = 0, 1, … until `seconds` have passed; answers calls per wall and per CPU second. */
function rate(step, seconds) {
  let n = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let k = 0; k < 2048; k++) step(n++);
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: n / ((now - start) / 1000), cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(step, { seconds, runs, warmup }) {
  rate(step, warmup);
  const windows = Array.from({ length: runs }, () => rate(step, seconds));
  const cpu = windows.map((w) => w.cpu);
  return { wall: median(windows.map((w) => w.wall)), cpu: median(cpu), cpuMin: Math.min(...cpu), cpuMax: Math.max(...cpu) };
}

const options = parseArgs(process.argv.slice(2));
const set = buildSet();
const shapes = requests.map(({ action, resource, context }) => ({ action, resource, principal, context }));

// The workload is what it claims to be: check every shape's decision before timing anything.
for (const [i, shape] of shapes.entries()) {
  const decision = evaluate(set, shape);
  if (decision.effect !== requests[i].expect) throw new Error(`shape ${i} (${shape.action}): expected ${requests[i].expect}, got ${decision.effect}: ${decision.reason}`);
}
const statementCount = set.identityPolicies.reduce((n, p) => n + p.statements.length, 0);
const scpCount = set.scpPath.flat().reduce((n, p) => n + p.statements.length, 0);

// Varied: 64 users and fresh resource names; each shape's resource gets a per-iteration suffix.
const users = Array.from({ length: 64 }, (_, u) => ({ ...principal, arn: `arn:aws:iam::${ACCOUNT}:user/user${u}`, username: `user${u}`, userId: `AIDAUSER${u}` }));
const vary = (shape, n) => {
  const user = users[n & 63];
  const resource = shape.action.startsWith('iam:') ? user.arn : shape.resource === '*' ? '*' : `${shape.resource}-${n}`;
  return { ...shape, principal: user, resource };
};

// Baseline: the lookups an index would do, with no matching logic.
const actionIndex = new Map();
for (const policy of [...set.identityPolicies, ...set.scpPath.flat()]) {
  for (const statement of policy.document.Statement) for (const action of statement.Action ?? statement.NotAction) actionIndex.set(action.toLowerCase(), statement);
}
const resourceStrings = [...set.identityPolicies, ...set.scpPath.flat()].flatMap((p) => p.document.Statement.map((s) => (s.Resource ?? s.NotResource ?? ['*'])[0]));
let sink = 0;
const policiesPerDecision = set.identityPolicies.length + set.scpPath.flat().length;
const baseline = (n) => {
  const shape = shapes[n % shapes.length];
  const action = shape.action.toLowerCase();
  for (let p = 0; p < policiesPerDecision; p++) if (actionIndex.get(action) !== undefined) sink++;
  for (const resource of resourceStrings) if (resource === shape.resource) sink++;
};

const empty = { identityPolicies: [], scpPath: [], subjectToScps: false, isRoot: false };
const rows = [
  ['baseline: lookups', baseline],
  ['evaluate: empty PolicySet', (n) => evaluate(empty, shapes[n % shapes.length])],
  ['evaluate: 10×10 + 3-level SCPs', (n) => evaluate(set, shapes[n % shapes.length])],
  ['evaluate: … varied users/resources', (n) => evaluate(set, vary(shapes[n % shapes.length], n))],
  ['evaluate: … traced', (n) => evaluate(set, shapes[n % shapes.length], { trace: true })],
];

console.log(`policy evaluation, one core — ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(`workload: ${set.identityPolicies.length} identity policies (${statementCount} statements), SCP path of ${set.scpPath.length} levels (${scpCount} statements), ${shapes.length} request shapes`);
console.log(`method: ${options.warmup} s warm-up, then median of ${options.runs} windows of ≥ ${options.seconds} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs\n`);
const table = [];
let workload;
for (const [name, step] of rows) {
  const result = measure(step, options);
  if (name.startsWith('evaluate: 10×10')) workload = result;
  const n = (value) => Math.round(value).toLocaleString('en-US');
  table.push([name, n(result.cpu), n(result.cpuMin), n(result.cpuMax), fixed(1e6 / result.cpu, 2), n(result.wall)]);
  process.stderr.write('.');
}
process.stderr.write('\n');
console.log(formatTable(['row', 'decisions/CPU-s (median)', 'min', 'max', 'CPU µs/decision', 'decisions/s wall'], table));
// `sink` keeps the baseline's work observable, so it cannot be optimised away.
console.log(`\n${workload.cpu >= TARGET ? 'PASS' : 'MISS'}: ${Math.round(workload.cpu).toLocaleString('en-US')} decisions per CPU-second against the target of ${TARGET.toLocaleString('en-US')}/s${sink < 0 ? '?' : ''}`);
