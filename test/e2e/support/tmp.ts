// Temporary directories for one test process, removed by `removeTempDirs()` in `after()`
// (kept with KEYLESS_E2E_KEEP=1, to look at what a failing test left behind).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `keyless-e2e-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  if (process.env.KEYLESS_E2E_KEEP === '1') {
    if (made.length) process.stderr.write(`kept: ${made.join(' ')}\n`);
    return;
  }
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
