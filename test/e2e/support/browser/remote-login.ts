// `keyless login --remote` as a child process whose stdin stays open, so the test can paste the
// verification code at the CLI's prompt the way a person would (support/processes.ts closes
// stdin at once, which is right for every other command).
import { spawn } from 'node:child_process';
import type { AwsHome, LoginResult } from '../aws-home.ts';
import { KEYLESS_BIN, REPO } from '../build.ts';

export interface RemoteLogin {
  authorizeUrl: string;
  stderr(): string;
  /** Types `text` and Enter at the prompt. */
  paste(text: string): void;
  /** Resolves once stderr matches `pattern` (the prompt again, a message, ...). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit and, on 0, the JSON result. */
  finished(timeoutMs?: number): Promise<{ code: number | null; result?: LoginResult }>;
  kill(): void;
}

export async function startRemoteLogin(home: AwsHome, input: { endpointUrl: string; profile: string }): Promise<RemoteLogin> {
  const args = [KEYLESS_BIN, 'login', '--remote', '--profile', input.profile, '--region', 'us-east-1', '--endpoint-url', input.endpointUrl, '--json'];
  const child = spawn(process.execPath, args, { cwd: REPO, env: home.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), waiters.forEach((w) => w())));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), waiters.forEach((w) => w())));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => (waiters.forEach((w) => w()), resolve(code))));
  let exited = false;
  void exit.then(() => (exited = true));

  const waitForStderr = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stderr)) return done(), resolve();
        if (exited) return done(), reject(new Error(`keyless login --remote exited before printing ${pattern}:\n${stderr}`));
      };
      const timer = setTimeout(() => (done(), reject(new Error(`timed out waiting for ${pattern} in:\n${stderr}`))), timeoutMs);
      const done = () => (clearTimeout(timer), waiters.delete(check));
      waiters.add(check);
      check();
    });

  await waitForStderr(/Verification code: $/);
  const authorizeUrl = /^\s*(https?:\/\/\S+\/v1\/authorize\?\S+)\s*$/m.exec(stderr)![1]!;
  return {
    authorizeUrl,
    stderr: () => stderr,
    paste: (text) => void child.stdin.write(`${text}\n`),
    waitForStderr,
    async finished(timeoutMs = 15_000) {
      const code = await Promise.race([exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms:\n${stderr}`)), timeoutMs).unref())]);
      return { code, result: code === 0 ? (JSON.parse(stdout) as LoginResult) : undefined };
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
