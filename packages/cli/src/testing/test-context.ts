// A CliContext for tests: a temp home, a fixed clock, captured output, scripted prompts, and a
// "browser" that follows the authorize URL's redirect itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext, LineReader, Prompter } from '../context.ts';

export interface Captured {
  write(text: string): boolean;
  isTTY?: boolean;
  text: string;
}

const capture = (): Captured => ({
  text: '',
  write(chunk: string) {
    this.text += chunk;
    return true;
  },
});

export interface TestContext extends CliContext {
  stdout: Captured;
  stderr: Captured;
  /** URLs given to the browser. */
  opened: string[];
  /** Questions asked, in order. */
  asked: string[];
  /** Ends `untilInterrupted()`, as Ctrl-C would. */
  interrupt(): void;
}

/** Fetches the authorize URL without following the redirect, then delivers the redirect to the callback server. */
export async function followAuthorizeRedirect(url: string): Promise<void> {
  const authorize = await fetch(url, { redirect: 'manual' });
  const location = authorize.headers.get('location');
  if (!location) throw new Error(`the authorize endpoint answered ${authorize.status} without a redirect`);
  await (await fetch(location)).text();
}

export function testContext(input: {
  homeDir: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  interactive?: boolean;
  browser?: (url: string) => Promise<void>;
  /** Answers for confirm() in order; select() returns `selectAnswer`. */
  confirmAnswers?: boolean[];
  selectAnswer?: string;
  /** Lines on stdin, read in order by openLineReader(); a function is called with each prompt. */
  lines?: Array<string | ((prompt: string) => Promise<string | undefined>)>;
  /** This program as started (default: /opt/node/bin/node /opt/keyless/bin/keyless.cjs). */
  self?: { node: string; script: string | undefined };
  /** What PATH finds, by name (default: nothing). */
  onPath?: Record<string, string>;
}): TestContext {
  const now = input.now ?? new Date('2026-11-23T20:00:00.000Z');
  const opened: string[] = [];
  const asked: string[] = [];
  const confirmAnswers = [...(input.confirmAnswers ?? [])];
  const prompts: Prompter = {
    async confirm({ message }) {
      asked.push(message);
      const answer = confirmAnswers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${message}`);
      return answer;
    },
    async select({ message }) {
      asked.push(message);
      if (input.selectAnswer === undefined) throw new Error(`unexpected question: ${message}`);
      return input.selectAnswer as never;
    },
    // `selectAnswer` is what is typed; Enter takes the first choice the source offers for it.
    async search({ message, source }) {
      asked.push(message);
      if (input.selectAnswer === undefined) throw new Error(`unexpected question: ${message}`);
      const [first] = source(input.selectAnswer);
      if (!first) throw new Error(`nothing to pick for ${JSON.stringify(input.selectAnswer)}`);
      return first.value;
    },
  };
  let interrupt!: () => void;
  const interrupted = new Promise<string>((resolve) => {
    interrupt = () => resolve('SIGINT');
  });
  const lines = [...(input.lines ?? [])];
  const stderr = capture();
  const openLineReader = (): LineReader => ({
    async read(prompt) {
      stderr.write(prompt);
      const next = lines.shift();
      const line = typeof next === 'function' ? await next(prompt) : next;
      if (line !== undefined) stderr.write(`${line}\n`);
      return line;
    },
    close() {},
  });
  return {
    env: { ...input.env },
    homeDir: input.homeDir,
    now: () => now,
    fetch: (resource, init) => fetch(resource, init),
    async openBrowser(url) {
      opened.push(url);
      await (input.browser ?? followAuthorizeRedirect)(url);
    },
    prompts,
    stdin: { isTTY: input.interactive ?? false },
    openLineReader,
    stdout: capture(),
    stderr,
    untilInterrupted: () => interrupted,
    self: () => input.self ?? { node: '/opt/node/bin/node', script: '/opt/keyless/bin/keyless.cjs' },
    findOnPath: (name) => input.onPath?.[name],
    interrupt,
    opened,
    asked,
  };
}

export async function withTempHome<T>(test: (home: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'keyless-home-'));
  try {
    return await test(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
