// The result file every load benchmark writes beside its table: what ran, on what machine, from
// which tree, and its rows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Writes the report to `options.out`, or bench/results/NAME-DATE.json; returns the file's path. */
export function writeReport({ root, name, script, benchmark, options, git, loadBefore, elapsedS, rows, extra }) {
  const out = options.out ?? join(root, 'bench/results', `${name}-${new Date().toISOString().slice(0, 10)}.json`);
  const report = {
    benchmark,
    date: new Date().toISOString(),
    command: ['node', relative(root, process.argv[1] ?? script), ...process.argv.slice(2)].join(' '),
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
    git,
    options: { ...options, out: undefined },
    ...extra,
    elapsedSeconds: Math.round(elapsedS),
    rows,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  return out;
}
