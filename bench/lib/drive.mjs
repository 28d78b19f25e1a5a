// Runs one row: forks the load generator, reads the server's CPU time at the edges of the measured
// window, and returns the load generator's figures with the server's CPU use beside them.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuPercentBetween, cpuSeconds, cpuSecondsMatching, machineBusySeconds } from './cpu.mjs';

const LOADGEN = fileURLToPath(new URL('./loadgen.mjs', import.meta.url));

/**
 * @param {import('./loadgen.mjs').Plan} plan
 * @param {number} serverPid
 * @param {string} [databaseProcesses]  a string in the command line of the database's own processes
 *   (PostgreSQL backends show their database name), so their CPU is reported apart from "other"
 */
export function drive(plan, serverPid, databaseProcesses) {
  return new Promise((resolve, reject) => {
    const child = fork(LOADGEN, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let before;
    let machineBefore;
    let databaseBefore;
    let serverCpu;
    let databaseCpu;
    let machineCpuPercent;
    let settled = false;
    child.on('message', (message) => {
      if (message.phase === 'measuring') {
        before = cpuSeconds(serverPid);
        if (databaseProcesses) databaseBefore = cpuSecondsMatching(databaseProcesses);
        machineBefore = machineBusySeconds();
      } else if (message.phase === 'measured') {
        serverCpu = cpuPercentBetween(before ?? {}, cpuSeconds(serverPid), plan.durationMs / 1000);
        if (databaseProcesses) databaseCpu = cpuPercentBetween(databaseBefore ?? {}, cpuSecondsMatching(databaseProcesses), plan.durationMs / 1000);
        machineCpuPercent = ((machineBusySeconds() - machineBefore) / (plan.durationMs / 1000)) * 100;
      } else if (message.result) {
        settled = true;
        const { loadgenCpuPercent } = message.result;
        // Whatever else ran on the machine meanwhile (other jobs, the kernel's share of loopback
        // networking not charged to either process): a noisy neighbour shows here.
        const otherCpuPercent = Math.max(0, Math.round(machineCpuPercent - (serverCpu?.total ?? 0) - (databaseCpu?.total ?? 0) - loadgenCpuPercent));
        // Server CPU time per answered request: unlike req/s, it barely moves when a neighbour
        // steals cores, so it is the figure to compare across runs.
        const serverCpuMsPerRequest = serverCpu && message.result.requests ? (serverCpu.exactTotal * 10 * (plan.durationMs / 1000)) / message.result.requests : NaN;
        resolve({ ...message.result, serverCpu, serverCpuMsPerRequest, databaseCpu, machineCpuPercent: Math.round(machineCpuPercent), otherCpuPercent });
      } else if (message.failure) {
        settled = true;
        reject(new Error(`load generator failed: ${message.failure}`));
      }
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited (${code}) without a result`));
    });
    child.send({ plan });
  });
}
