// Runs every test file (`*.test.ts` beside the code, and test/e2e) with node:test through tsx.
// Node 20's --test does not expand globs, so the files are found here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['packages', 'test'];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.test.ts')) files.push(path);
  }
};
for (const root of roots) if (existsSync(root)) walk(root);
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// --test-force-exit: a test that timed out while a child process or socket it opened still runs
// must fail its file, not keep the whole run waiting on that handle.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-force-exit', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
