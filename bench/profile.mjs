// Summarises V8 CPU profiles (`node --cpu-prof`, or `node bench/refresh.mjs --cpu-prof DIR`):
// where a server worker's time goes, by package and by function, self and inclusive.
//
//   node bench/profile.mjs FILE.cpuprofile [MORE.cpuprofile …] [--top 25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Which package (or part of Node) a frame belongs to. */
export function categoryOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native ${functionName || '(anonymous)'}`;
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(14).split('/')[0] : url.slice(5)}`;
  if (url.includes('/packages/server/dist/')) return 'keyless (server bundle)';
  return url.replace(/^file:\/\//, '');
}

/**
 * Coarse stages of a token request, for the one-screen answer to "where does the time go".
 * Native code called from JavaScript (SQLite, OpenSSL) is charged by V8 to the calling frame,
 * so SQLite's own work shows as the self time of Kysely's SqliteDriver.executeQuery and of
 * better-sqlite3's prepare wrapper.
 */
const STAGES = [
  [(f) => f.functionName === 'executeQuery' && f.url.includes('sqlite-driver'), 'SQLite: running statements (native; incl. commit, WAL writes, checkpoints, lock waits)'],
  [(f) => f.functionName === 'prepare' && f.url.includes('better-sqlite3'), 'SQLite: preparing statements (native; Kysely prepares every query anew)'],
  [(f) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(f.url), 'PostgreSQL driver (pg)'],
  [(f) => f.url.includes('node_modules/kysely/'), 'Kysely: building, compiling, running queries (JS)'],
  [(f) => f.url.includes('node_modules/better-sqlite3/'), 'better-sqlite3 (JS)'],
  [(f) => f.functionName === 'verifyOneShot', 'ES256 signature verification (DPoP proof)'],
  [(f) => f.functionName === 'randomFillSync', 'randomBytes (token, key id, secret, IV generation)'],
  [(f) => f.url.startsWith('node:internal/crypto') || f.url === 'node:crypto', 'other crypto (SHA-256, AES-GCM sealing, HMAC)'],
  [(f) => f.functionName === '(garbage collector)', 'garbage collection'],
  [(f) => f.functionName === '(idle)', 'idle (waiting for I/O)'],
  [(f) => /node_modules\/(fastify|find-my-way|avvio|@fastify|light-my-request|fast-json-stringify|process-warning|abstract-logging|toad-cache|rfdc|secure-json-parse)\//.test(f.url), 'Fastify'],
  [(f) => f.url.includes('node_modules/pino') || f.url.includes('node_modules/@pinojs'), 'logging (pino)'],
  [(f) => (!f.url && /^(parse|stringify)$/.test(f.functionName)) || f.functionName === 'JSON.parse', 'JSON parse/stringify (native)'],
  [(f) => /^node:(internal\/)?(_http|http|net|stream|internal\/streams|internal\/stream_base_commons|internal\/http)/.test(f.url) || ['writev', 'writeUtf8String', 'writeLatin1String', 'writeBuffer'].includes(f.functionName), 'Node HTTP server and sockets'],
  [(f) => f.url.includes('/packages/server/dist/') || f.url.includes('/packages/protocol/'), 'Keyless code (own JavaScript)'],
  [(f) => f.functionName === 'runMicrotasks' || f.url === 'node:internal/process/task_queues', 'promise and microtask machinery'],
];

export const stageOf = (callFrame) => STAGES.find(([test]) => test(callFrame))?.[1] ?? 'other (module loading at start-up, timers, misc.)';

const frameName = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();

export function summariseProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByNode = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
    total += dt;
  });

  const self = new Map();
  const stage = new Map();
  const category = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfByNode) {
    const node = byId.get(id);
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    const st = stageOf(node.callFrame);
    stage.set(st, (stage.get(st) ?? 0) + us);
    const cat = categoryOf(node.callFrame);
    category.set(cat, (category.get(cat) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = frameName(byId.get(at).callFrame);
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + us);
    }
  }
  return { totalUs: total, self, stage, category, inclusive };
}

function merge(summaries) {
  const out = { totalUs: 0, self: new Map(), stage: new Map(), category: new Map(), inclusive: new Map() };
  for (const s of summaries) {
    out.totalUs += s.totalUs;
    for (const key of ['self', 'stage', 'category', 'inclusive']) for (const [k, v] of s[key]) out[key].set(k, (out[key].get(k) ?? 0) + v);
  }
  return out;
}

function print(title, map, totalUs, busyUs, top) {
  process.stdout.write(`\n${title}\n`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, us] of rows) {
    process.stdout.write(`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / totalUs) * 100).toFixed(1).padStart(5)}% all ${((us / busyUs) * 100).toFixed(1).padStart(5)}% busy  ${name}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const summary = merge(positionals.map((file) => summariseProfile(JSON.parse(readFileSync(file, 'utf8')))));
  const idle = summary.category.get('idle') ?? 0;
  const busy = summary.totalUs - idle;
  const top = Number(values.top);
  process.stdout.write(`${positionals.length} profile(s): ${(summary.totalUs / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)\n`);
  print('Self time by stage', summary.stage, summary.totalUs, busy, top);
  print('Self time by package', summary.category, summary.totalUs, busy, top);
  print('Self time by function', summary.self, summary.totalUs, busy, top);
  print('Inclusive time by function', summary.inclusive, summary.totalUs, busy, top * 2);
}
