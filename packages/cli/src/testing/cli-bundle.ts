// Tests that run the real `keyless` bundle as separate processes (credential-process's
// cross-process lock cannot be tested inside one process). The bundle is rebuilt once per test
// file, under the same lock directory test/e2e/support/build.ts uses, so the two never write
// packages/cli/dist at the same time.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI_BUNDLE = join(REPO, 'packages/cli/dist/keyless.mjs');

const BUILD_LOCK = join(tmpdir(), `keyless-e2e-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 16)}.lock`);

export async function buildCliBundle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - ((await stat(BUILD_LOCK).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 60_000) await rm(BUILD_LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${BUILD_LOCK}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    const result = spawnSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`node scripts/build.mjs cli failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Generous: fifty processes sharing two busy cores all finish late, together (fair scheduling).
const PROCESS_TIMEOUT_MS = 240_000;

/** Runs `command args` to completion with only the given environment (nothing of ours leaks in). */
export function runProcess(command: string, args: readonly string[], env: Record<string, string>, timeoutMs = PROCESS_TIMEOUT_MS): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `node dist/keyless.mjs …` with HOME pointed at a test home. */
export const runKeyless = (args: readonly string[], home: string, env: Record<string, string> = {}) =>
  runProcess(process.execPath, [CLI_BUNDLE, ...args], { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env });
