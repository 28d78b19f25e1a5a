// The run's test results, counted from node:test's reporter events by the reporter that runs
// beside spec (scripts/file-times-reporter.mjs; a third reporter would be one too many listeners
// on node:test's stream), so the closing `tests: N passed, N failed, N skipped` line and the
// names of the failing tests never depend on what spec printed (its summary is followed by the
// list of failures, long exactly when something failed). One JSON line per finished test is
// appended, synchronously, to KEYLESS_TEST_RESULTS, like the file times: a run stopped at its
// deadline still has what finished.
//
// What counts: every test that is not a suite (`describe`), at any depth. A file runs as a test of
// its own, named by its path, at the top level; it is counted only when it fails without any of
// its tests failing — a file that could not load (a missing fixture, a syntax error) is a failure,
// never a silent zero.
import { appendFileSync } from 'node:fs';

/** Returns the function to call with each reporter event; it writes to `out` (KEYLESS_TEST_RESULTS). */
export function resultsRecorder(out) {
  // The names of the tests running now, per file and depth, to name a failure by its suites.
  const running = new Map();
  const failedIn = new Set();
  return (event) => {
    if (!out) return;
    const { file, name, nesting } = event.data ?? {};
    const isFile = nesting === 0 && file !== undefined && name === file;
    if (event.type === 'test:start' && !isFile) {
      const stack = running.get(file) ?? [];
      stack.length = nesting;
      stack.push(name);
      running.set(file, stack);
      return;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') return;
    const { details, skip, todo } = event.data;
    if (details?.type === 'suite') return;
    const failed = event.type === 'test:fail';
    if (isFile) {
      if (failed && !failedIn.has(file)) record(out, { status: 'fail', file, name: `${file} (the file failed: ${errorText(details?.error)})` });
      return;
    }
    const status = skip !== undefined ? 'skip' : todo !== undefined ? 'todo' : failed ? 'fail' : 'pass';
    if (status === 'fail') failedIn.add(file);
    const path = [...(running.get(file) ?? []).slice(0, nesting), name];
    record(out, { status, file, name: path.join(' › ') });
  };
}

function record(out, row) {
  appendFileSync(out, `${JSON.stringify(row)}\n`);
}

function errorText(error) {
  const cause = error?.cause ?? error;
  const text = cause?.message ?? String(cause ?? 'unknown');
  return text.split('\n')[0].slice(0, 200);
}
