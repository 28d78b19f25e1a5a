// `npm test` ends every run, green or red, with `tests: N passed, N failed, N skipped` and the
// failing tests' names, counted from the reporter's events (scripts/test-results.mjs): the
// line once went missing exactly when tests failed, because it was scraped from spec's text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keyless-test-summary-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runSuite(files: Record<string, string>): { status: number | null; stdout: string } {
  const at = mkdtempSync(join(dir, 'run-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(at, name), text);
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(process.execPath, [join(REPO, 'scripts/test.mjs'), at], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout };
}

const tail = (stdout: string) => stdout.slice(stdout.lastIndexOf('\ntests: ') + 1);

describe('npm test: the closing line', () => {
  it('is printed on a green run', () => {
    const { status, stdout } = runSuite({
      'green.test.ts': "import { it, describe } from 'node:test';\ndescribe('s', () => { it('a', () => {}); it('b', () => {}); it.skip('c', () => {}); });\n",
    });
    assert.equal(status, 0);
    assert.equal(tail(stdout), 'tests: 2 passed, 0 failed, 1 skipped\n');
  });

  it('is printed on a red run after the long failure list, naming each failing test and a file that could not load', () => {
    const failing = Array.from({ length: 40 }, (_, i) => `  it('fails ${i}', () => { throw new Error('${'x'.repeat(200)}'); });`).join('\n');
    const { status, stdout } = runSuite({
      'red.test.ts': `import { it, describe } from 'node:test';\ndescribe('outer', () => {\n  it('passes', () => {});\n${failing}\n});\n`,
      'broken.test.ts': "import './missing-fixture.json' with { type: 'json' };\n",
    });
    assert.notEqual(status, 0);
    const lines = tail(stdout).trimEnd().split('\n');
    assert.equal(lines[0], 'tests: 1 passed, 41 failed, 0 skipped');
    assert.equal(lines[1], 'failing tests:');
    assert.equal(lines.length, 2 + 41);
    assert.ok(lines.some((line) => /red\.test\.ts: outer › fails 39$/.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => /broken\.test\.ts: .*broken\.test\.ts \(the file failed: /.test(line)), lines.join('\n'));
  });
});
