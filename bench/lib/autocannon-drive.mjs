// One measured row: autocannon in its own process (lib/autocannon-run.mjs), and over the same
// interval the server's CPU (user and kernel), the load generator's and the whole machine's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { cpuPercentBetween, cpuSeconds, machineBusySeconds, systemSeconds } from './cpu.mjs';

const LOADGEN = fileURLToPath(new URL('./autocannon-run.mjs', import.meta.url));

/**
 * Runs `plan` (url, connections, durationS, method, body, headers) against the server whose process
 * tree is `serverPid`. `server` is cpuPercentBetween's answer; percentages are of one core.
 */
export async function driveAutocannon(plan, serverPid) {
  const serverBefore = cpuSeconds(serverPid);
  const systemBefore = systemSeconds(serverPid);
  const machineBefore = machineBusySeconds();
  const started = performance.now();
  const child = spawn(process.execPath, [LOADGEN, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  const server = cpuPercentBetween(serverBefore, cpuSeconds(serverPid), seconds);
  const serverSystemSeconds = systemSeconds(serverPid) - systemBefore;
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const { result, cpuSeconds: loadgenSeconds } = JSON.parse(stdout);
  const machinePercent = ((machineBusySeconds() - machineBefore) / seconds) * 100;
  const loadgenCpuPercent = (loadgenSeconds / seconds) * 100;
  const requests = Math.max(1, result.requests.total);
  return {
    result,
    server,
    /** CPU time per answer: what a busy, shared machine changes least (its other load steals wall time). */
    serverCpuMsPerRequest: (server.exactTotal * 10 * seconds) / requests,
    serverSystemCpuMsPerRequest: (serverSystemSeconds * 1000) / requests,
    loadgenCpuPercent: Math.round(loadgenCpuPercent),
    otherCpuPercent: Math.round(machinePercent - server.exactTotal - loadgenCpuPercent),
  };
}
