// A node:test reporter that runs beside spec (scripts/test.mjs): it records how long each test file
// took — the file's own process from spawn to exit, so Node's start-up and tsx's transpile count,
// not only the tests. Spec prints each test's duration but never a file's, and a file is what the
// run schedules. One JSON line per file is appended, synchronously, to KEYLESS_TEST_TIMES as the
// file ends: a run that passes its deadline is killed without waiting for reporters to drain (and
// the deadline reads these lines to name the files that never finished), so nothing may wait for
// the end. scripts/test.mjs prints the table afterwards. The same events are counted into the
// run's results (scripts/test-results.mjs, KEYLESS_TEST_RESULTS) for its closing line.
import { appendFileSync } from 'node:fs';
import { resultsRecorder } from './test-results.mjs';

export default async function* fileTimes(source) {
  const out = process.env.KEYLESS_TEST_TIMES;
  const recordResult = resultsRecorder(process.env.KEYLESS_TEST_RESULTS);
  for await (const event of source) {
    recordResult(event);
    // Each file runs as a test of its own, named by its path, at the top level of the run.
    if (!out || event.type !== 'test:complete' || event.data.nesting !== 0) continue;
    const { file, name, details } = event.data;
    if (file && name === file) appendFileSync(out, `${JSON.stringify({ file, ms: details.duration_ms, passed: details.passed })}\n`);
  }
  yield '';
}
