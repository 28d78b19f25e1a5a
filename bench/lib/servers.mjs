// Starts the servers under test as child processes and waits until they answer.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_MAIN = join(ROOT, 'packages/server/dist/main.mjs');
const BASELINE_MAIN = fileURLToPath(new URL('./baseline-server.mjs', import.meta.url));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(ready, child, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before it was ready:\n${child.stderrText}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${child.stderrText}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function launch(args, env, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both streams: the server's messages go to stderr, its pino log lines to stdout.
  child.stderrText = '';
  const keep = (chunk) => {
    child.stderrText = (child.stderrText + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

function takeLog(child) {
  const text = child.stderrText;
  child.stderrText = '';
  return text;
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Every worker of a cluster must be listening before the load generator opens its keep-alive
 * connections (they are spread over the workers that exist when they connect). The primary
 * prints its line before forking finishes, so count the workers' listening sockets' owners
 * indirectly: wait for the worker processes, then give them time to open the store and listen.
 */
async function settleWorkers(child, workers) {
  if (workers <= 1) return;
  const { processTree } = await import('./cpu.mjs');
  const deadline = Date.now() + 10_000;
  while (processTree(child.pid).length < workers + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/**
 * `keyless serve` from the built bundle, on a fresh data directory (SQLite) or the given
 * PostgreSQL URL. The root account is bootstrapped with the given e-mail and password.
 */
export async function startKeyless({ workers, databaseUrl, root, nodeFlags = [], without = [], alternateMs, env: extra = {} }) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-bench-'));
  const env = {
    KEYLESS_DATA_DIR: dataDir,
    KEYLESS_PORT: String(port),
    KEYLESS_HOST: '127.0.0.1',
    KEYLESS_LOG_LEVEL: 'warn',
    KEYLESS_WORKERS: String(workers),
    KEYLESS_BOOTSTRAP_EMAIL: root.email,
    KEYLESS_BOOTSTRAP_PASSWORD: root.password,
    KEYLESS_DATABASE_URL: databaseUrl ?? '',
  };
  if (!databaseUrl) delete env.KEYLESS_DATABASE_URL;
  Object.assign(env, extra);
  // The A/B knobs (bench/README.md): what is switched off, to measure what it costs.
  if (without.length > 0) env.KEYLESS_BENCHMARK_WITHOUT = without.join(',');
  if (alternateMs) env.KEYLESS_BENCHMARK_ALTERNATE_MS = String(alternateMs);
  const child = launch([SERVER_MAIN, 'serve'], env, nodeFlags);
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${base}/healthz`)).ok, child, 'keyless serve');
  await settleWorkers(child, workers);
  return {
    base,
    port,
    pid: child.pid,
    /** What the server wrote since the last call (its warn/error log lines). */
    takeLog: () => takeLog(child),
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The bare Fastify baseline with the same worker model. */
export async function startBaseline({ workers, responseBytes, route }) {
  const port = await freePort();
  const child = launch([BASELINE_MAIN], { PORT: String(port), WORKERS: String(workers), RESPONSE_BYTES: String(responseBytes), ROUTE: route });
  const base = `http://127.0.0.1:${port}`;
  const probe = async () => (await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"refreshToken":"x"}' })).ok;
  await waitUntil(probe, child, 'baseline server');
  await settleWorkers(child, workers);
  return { base, port, pid: child.pid, takeLog: () => takeLog(child), stop: () => stopChild(child) };
}
