// CPU time of a process and its descendants, read from /proc (Linux), so each row can show how
// much of the machine's two cores the server actually used while the load generator ran.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** `{ ppid, seconds, systemSeconds }` from /proc/PID/stat (fields after the parenthesised command name). */
function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / clockTicks(), systemSeconds: Number(fields[12]) / clockTicks() };
  } catch {
    return undefined;
  }
}

/** The pid and every descendant's pid. */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(entry);
    if (!stat) continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(Number(entry));
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** CPU seconds used so far by each pid of the tree: `{ [pid]: seconds }`. */
export function cpuSeconds(rootPid) {
  const out = {};
  for (const pid of processTree(rootPid)) {
    const stat = statOf(pid);
    if (stat) out[pid] = stat.seconds;
  }
  return out;
}

/** Kernel-mode CPU seconds of the tree so far (stime): the share of a server's CPU spent in socket calls. */
export function systemSeconds(rootPid) {
  return processTree(rootPid).reduce((sum, pid) => sum + (statOf(pid)?.systemSeconds ?? 0), 0);
}

/** Per-process CPU over an interval, in percent of one core, busiest first, and the total. */
export function cpuPercentBetween(before, after, seconds) {
  const percents = Object.keys(after)
    .map((pid) => ((after[pid] - (before[pid] ?? 0)) / seconds) * 100)
    .sort((a, b) => b - a);
  return { total: Math.round(percents.reduce((a, b) => a + b, 0)), exactTotal: percents.reduce((a, b) => a + b, 0), perProcess: percents.map(Math.round) };
}

/** The whole machine's busy CPU seconds so far (all cores, from the first line of /proc/stat). */
export function machineBusySeconds() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (user + nice + system + irq + softirq + steal) / clockTicks();
  } catch {
    return NaN;
  }
}

/** CPU seconds so far of every process whose command line contains `needle` (e.g. PostgreSQL backends serving one database). */
export function cpuSecondsMatching(needle) {
  const out = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) continue;
    } catch {
      continue;
    }
    const stat = statOf(entry);
    if (stat) out[entry] = stat.seconds;
  }
  return out;
}
