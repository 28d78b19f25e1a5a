// Tests that run the real `keyless` bundle as separate processes (credential-process's
// cross-process lock cannot be tested inside one process). The bundle is built when it is older
// than its sources, by scripts/build.mjs --if-stale, whose lock keeps two test files from writing
// packages/cli/dist at the same time.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** The `keyless` command as installed: credential-process through dist/credential-process.cjs, the rest through dist/keyless.mjs. */
export const KEYLESS_BIN = join(REPO, 'packages/keyless/bin/keyless.cjs');

export async function buildCliBundle(): Promise<void> {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', 'cli', '--if-stale'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs cli --if-stale failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
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

/** `keyless …` (the bin, as installed) with HOME pointed at a test home. */
export const runKeyless = (args: readonly string[], home: string, env: Record<string, string> = {}) =>
  runProcess(process.execPath, [KEYLESS_BIN, ...args], { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env });
