// Child processes for the e2e suites: output captured, every wait bounded, all of them stopped
// by `cleanUp()` in `after()`, and their output printed when a test fails (`e2eTest`).
import { spawn, type ChildProcess } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { KEYLESS_BIN, REPO } from './build.ts';
import { removeTempDirs } from './tmp.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in the stream's output so far or to come. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited(timeoutMs: number): Promise<Exit>;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const everyProcess: Proc[] = [];

/**
 * The environment a child starts from: this one without anything that points AWS tools or
 * Keyless elsewhere (a developer's AWS_PROFILE or KEYLESS_DATA_DIR must not leak into a test).
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|KEYLESS_)/.test(key) && key !== 'NODE_OPTIONS' && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Starts `command` (node unless given) with `args`. */
export function startProcess(name: string, args: string[], options: { env: NodeJS.ProcessEnv; input?: string; command?: string }): Proc {
  const child = spawn(options.command ?? process.execPath, args, { cwd: REPO, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((output.stdout += chunk), changed()));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((output.stderr += chunk), changed()));
  child.stdin.on('error', () => {}); // a child that exits before reading its stdin
  child.stdin.end(options.input ?? '');
  let exit: Exit | undefined;
  const exitPromise = new Promise<Exit>((resolve) => {
    child.once('error', (error) => ((output.stderr += `\n[spawn error] ${error.message}\n`), (exit = { code: -1, signal: null }), changed(), resolve(exit)));
    child.once('close', (code, signal) => ((exit = { code, signal }), changed(), resolve(exit)));
  });

  const bounded = <T>(what: string, timeoutMs: number, settle: (done: (value: T) => void, fail: (error: Error) => void) => () => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let check = () => {};
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      const timer = setTimeout(() => (finish(), reject(new Error(`${name}: timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      check = settle(
        (value) => (finish(), resolve(value)),
        (error) => (finish(), reject(error)),
      );
      listeners.add(check);
      check();
    });

  const proc: Proc = {
    name,
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitFor: (stream, pattern, timeoutMs) =>
      bounded(`${pattern} on ${stream}`, timeoutMs, (done, fail) => () => {
        const match = pattern.exec(output[stream]);
        if (match) done(match);
        else if (exit) fail(new Error(`${name} exited (${exit.code ?? exit.signal}) before printing ${pattern} on ${stream}`));
      }),
    exited: (timeoutMs) => bounded('exit', timeoutMs, (done) => () => void (exit && done(exit))),
    async stop(graceMs = 3000) {
      if (exit) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exitPromise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), graceMs).unref())]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    },
  };
  everyProcess.push(proc);
  return proc;
}

/** `keyless ARGS` through the published binary, as a user would run it. */
export function startKeyless(name: string, args: string[], options: { env: NodeJS.ProcessEnv; input?: string }): Proc {
  return startProcess(name, [KEYLESS_BIN, ...args], options);
}

/** Runs `keyless ARGS` to completion; throws (with its output) unless it exits 0. */
export async function runKeyless(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<{ stdout: string; stderr: string }> {
  const proc = startKeyless(`keyless ${args.slice(0, 2).join(' ')}`, args, options);
  const exit = await proc.exited(options.timeoutMs ?? 15_000).catch(async (error: Error) => (await proc.stop(), Promise.reject(error)));
  if (exit.code !== 0) throw new Error(`keyless ${args.join(' ')} exited ${exit.code ?? exit.signal}:\n${proc.stderr()}${proc.stdout()}`);
  return { stdout: proc.stdout(), stderr: proc.stderr() };
}

/** For `after()`: stops every child process still running, then removes the temporary directories. */
export async function cleanUp(): Promise<void> {
  await Promise.all(everyProcess.map((proc) => proc.stop()));
  removeTempDirs();
}

/** Prints what every child process wrote, last 8 kB of each stream. */
export function dumpOutput(): void {
  for (const proc of everyProcess) {
    for (const stream of ['stderr', 'stdout'] as const) {
      const text = proc[stream]();
      if (text.trim()) process.stderr.write(`\n----- ${proc.name} (${stream}) -----\n${text.slice(-8192)}\n`);
    }
  }
}

/**
 * `test()`, with the child processes' output printed when the test fails — also when it runs out
 * of time: the body gets its own deadline a second before node:test's, so there is a failure to report.
 */
export function e2eTest(name: string, options: { timeout: number }, fn: (t: TestContext) => Promise<void>): void {
  test(name, { timeout: options.timeout + 1000 }, async (t) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`test did not finish within ${options.timeout} ms`)), options.timeout);
    });
    try {
      await Promise.race([fn(t), deadline]);
    } catch (error) {
      dumpOutput();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  });
}
