// The load generator, run in its own process (child_process.fork from bench/lib/drive.mjs) so that
// it never shares an event loop with the server. Closed loop: each connection has one request in
// flight; it sends the next as soon as the previous answer arrived.
//
// `refresh` mode: each connection owns one login session (its DPoP key, its current refresh token)
// and loops: fresh proof → POST /v1/token refresh grant → keep the rotated refreshToken.
// `baseline` mode: the same request bytes (a same-length body and a same-length DPoP header), but
// no proof is signed and nothing is taken from the answer.
//
// Protocol with the parent: receives one `{ plan }` message, sends `{ phase: 'measuring' }` and
// `{ phase: 'measured' }` at the window's edges (so the parent can read the server's CPU time),
// then `{ result }`, and exits.
import { performance } from 'node:perf_hooks';
import { dpopSigner } from './dpop.mjs';
import { HttpConnection } from './http-client.mjs';
import { Samples, summarize } from './stats.mjs';

const CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
export const refreshBody = (refreshToken) => JSON.stringify({ clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken });

/**
 * @typedef {object} Plan
 * @property {'refresh' | 'baseline'} mode
 * @property {string} host
 * @property {number} port
 * @property {string} path
 * @property {number} connections
 * @property {number} warmupMs
 * @property {number} durationMs
 * @property {Array<{ privateJwk: object, refreshToken: string }>} [sessions]  refresh mode: one per connection
 * @property {{ body: string, dpop: string }} [fixed]  baseline mode: what every request carries
 * @property {number} [alternateMs]  the server switches its A/B knob off in every other window of
 *   this length (KEYLESS_BENCHMARK_ALTERNATE_MS): answers are counted per window kind as well
 */

/** Which kind of window an epoch instant falls in: 0 knob on ("with"), 1 knob off ("without"). */
export const windowKind = (epochMs, alternateMs) => Math.floor(epochMs / alternateMs) % 2;

/** How many milliseconds of [from, to) (epoch) fall in each kind of window. */
export function windowTimes(from, to, alternateMs) {
  const times = [0, 0];
  for (let t = from; t < to; ) {
    const end = Math.min(to, (Math.floor(t / alternateMs) + 1) * alternateMs);
    times[windowKind(t, alternateMs)] += end - t;
    t = end;
  }
  return times;
}

/** @param {Plan} plan */
export async function generateLoad(plan, notify = () => {}) {
  const target = { host: plan.host, port: plan.port };
  const htu = `http://${plan.host}:${plan.port}${plan.path}`;
  const headBase = `POST ${plan.path} HTTP/1.1\r\nHost: ${plan.host}:${plan.port}\r\nContent-Type: application/json\r\nUser-Agent: keyless-bench`;
  const connections = Array.from({ length: plan.connections }, () => new HttpConnection(target));
  await Promise.all(connections.map((c) => c.connect()));

  const samples = new Samples();
  const byKind = [new Samples(), new Samples()];
  const epoch = (t) => performance.timeOrigin + t;
  const errors = { count: 0, byStatus: {}, first: undefined };
  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const measureTo = measureFrom + plan.durationMs;
  // The window's edges are timers, not request completions, so the parent reads the server's CPU
  // at the same instants the load generator reads its own. Timers can fire late on a loaded
  // machine; the result waits for both edges whatever order things happen in.
  let cpuAtStart;
  const measuring = new Promise((resolve) =>
    setTimeout(() => {
      cpuAtStart = process.cpuUsage();
      notify('measuring');
      resolve();
    }, plan.warmupMs),
  );
  const measured = measuring.then(
    () =>
      new Promise((resolve) =>
        setTimeout(() => {
          const cpu = process.cpuUsage(cpuAtStart);
          notify('measured');
          resolve(cpu);
        }, Math.max(0, measureTo - performance.now())),
      ),
  );

  const recordError = (status, body) => {
    errors.count++;
    errors.byStatus[status] = (errors.byStatus[status] ?? 0) + 1;
    errors.first ??= { status, body: body.slice(0, 2000) };
  };

  async function loop(index) {
    const connection = connections[index];
    const session = plan.mode === 'refresh' ? plan.sessions[index] : undefined;
    const prove = session ? dpopSigner(session.privateJwk, htu) : undefined;
    for (;;) {
      const dpop = prove ? prove() : plan.fixed.dpop;
      const body = session ? refreshBody(session.refreshToken) : plan.fixed.body;
      const sent = performance.now();
      if (sent >= measureTo) return;
      let response;
      try {
        response = await connection.request(`${headBase}\r\nDPoP: ${dpop}`, body);
      } catch (error) {
        recordError('socket', String(error.message));
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      const done = performance.now();
      const inWindow = done >= measureFrom && done < measureTo;
      // Every non-200 counts, warm-up included: a bug must show even if it only hits early.
      if (response.status !== 200) {
        recordError(response.status, response.body);
        continue;
      }
      if (session) session.refreshToken = JSON.parse(response.body).refreshToken;
      else JSON.parse(response.body);
      if (!inWindow) continue;
      samples.add(done - sent);
      // A request sent in one kind of window and answered in the other belongs to neither.
      if (plan.alternateMs) {
        const kind = windowKind(epoch(sent), plan.alternateMs);
        if (kind === windowKind(epoch(done), plan.alternateMs)) byKind[kind].add(done - sent);
      }
    }
  }

  // Loops stop sending at measureTo; the answers still in flight are awaited but not counted.
  await Promise.all(connections.map((_, i) => loop(i)));
  const cpu = await measured;
  connections.forEach((c) => c.close());
  const latency = summarize(samples);
  const perKind = () => {
    const times = windowTimes(epoch(measureFrom), epoch(measureTo), plan.alternateMs);
    const [withKnob, withoutKnob] = byKind.map((kindSamples, kind) => {
      const kindLatency = summarize(kindSamples);
      return { requests: kindLatency.count, seconds: times[kind] / 1000, requestsPerSecond: kindLatency.count / (times[kind] / 1000), latencyMs: kindLatency };
    });
    return { with: withKnob, without: withoutKnob };
  };
  return {
    requests: latency.count,
    requestsPerSecond: latency.count / (plan.durationMs / 1000),
    latencyMs: latency,
    ...(plan.alternateMs && { windows: perKind() }),
    errors,
    loadgenCpuPercent: ((cpu.user + cpu.system) / 1000 / plan.durationMs) * 100,
  };
}

if (process.send) {
  process.once('message', async ({ plan }) => {
    try {
      const result = await generateLoad(plan, (phase) => process.send({ phase }));
      process.send({ result }, () => process.exit(0));
    } catch (error) {
      process.send({ failure: String(error?.stack ?? error) }, () => process.exit(1));
    }
  });
}
