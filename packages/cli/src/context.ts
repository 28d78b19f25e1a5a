// The one place the CLI touches the process: environment, home directory, clock, network,
// terminal, browser and prompts (STYLE.md §3). Commands receive a CliContext and read nothing else,
// so tests point every path at a temp dir and replace the browser with a function.
//
// This module is on the `credential-process` path (it runs before every AWS CLI call): it imports
// only node built-ins, through builtins.ts for those that would cost start-up time, and loads
// `open` and `@inquirer/prompts` on first use.
import { homedir } from 'node:os';
import { nodeFs, nodeReadline, nodeTty } from './builtins.ts';
import { cancelledError } from './ui/errors.ts';

const isatty = (fd: number): boolean => nodeTty().isatty(fd);

export interface OutputStream {
  write(text: string): unknown;
  /** True when it is a terminal: spinners and colours only then. */
  isTTY?: boolean;
}

export interface Choice<T extends string> {
  value: T;
  name: string;
}

/** Interactive questions. Only called when `stdin.isTTY`; commands check that first. */
export interface Prompter {
  confirm(input: { message: string; default: boolean }): Promise<boolean>;
  select<T extends string>(input: { message: string; choices: readonly Choice<T>[]; default?: T }): Promise<T>;
  /**
   * A list filtered as the user types: `source` gets the text typed so far and returns the choices
   * (throwing shows its message instead, and nothing can be picked).
   */
  search(input: { message: string; source: (typed: string | undefined) => Choice<string>[]; default?: string }): Promise<string>;
}

/** Lines typed at the terminal or piped in on stdin. */
export interface LineReader {
  /**
   * Writes `prompt` to stderr and resolves with the next line, or undefined at the end of input;
   * rejects with a CANCELLED CliError when Ctrl-C is typed at the terminal.
   */
  read(prompt: string): Promise<string | undefined>;
  close(): void;
}

export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  now: () => Date;
  fetch: typeof fetch;
  /** Opens `url` in the user's browser; rejects when that is impossible (no display, no opener). */
  openBrowser: (url: string) => Promise<void>;
  prompts: Prompter;
  stdin: { isTTY?: boolean };
  /** stdin as lines (`keyless login --remote` reads the verification code so); close it when done. */
  openLineReader: () => LineReader;
  stdout: OutputStream;
  stderr: OutputStream;
  /** This program as started: its Node.js and script (real paths), for a `credential_process` line. */
  self: () => { node: string; script: string | undefined };
  /** The real path of the executable `name` found first on PATH, or undefined. */
  findOnPath: (name: string) => string | undefined;
  /**
   * Resolves when the user asks a long-running command to stop (SIGINT, SIGTERM), with the signal's
   * name. Listens only until `signal` aborts, so Ctrl-C keeps its default meaning afterwards.
   */
  untilInterrupted: (signal?: AbortSignal) => Promise<string>;
}

export interface ProcessContextOptions {
  /**
   * Write stdout and stderr straight to file descriptors 1 and 2 instead of through
   * process.stdout/stderr, whose creation costs milliseconds (a net.Socket for a pipe, a tty
   * stream for a terminal). For credential-process, which prints one short line to a pipe.
   */
  directOutput?: boolean;
}

/** The real thing, built once per run (run-command.ts). */
export function createProcessContext(options: ProcessContextOptions = {}): CliContext {
  const env = process.env;
  return {
    env,
    homeDir: homedir(),
    now: () => new Date(),
    fetch: (input, init) => globalThis.fetch(input, init),
    openBrowser: (url) => openInBrowser(url, env),
    prompts: inquirerPrompter,
    // isatty(0) rather than process.stdin, which would create a stream handle on every run.
    stdin: {
      get isTTY() {
        return isatty(0);
      },
    },
    openLineReader: openStdinLineReader,
    stdout: options.directOutput ? directOutput(1, () => process.stdout) : process.stdout,
    stderr: options.directOutput ? directOutput(2, () => process.stderr) : process.stderr,
    untilInterrupted,
    self: () => ({ node: process.execPath, script: process.argv[1] ? realExecutable(process.argv[1], false) : undefined }),
    findOnPath: (name) => {
      for (const dir of (env.PATH ?? '').split(':')) {
        const found = dir ? realExecutable(`${dir}/${name}`, true) : undefined;
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** The real path of `path` when it is a file (and executable, when asked), else undefined. */
function realExecutable(path: string, executable: boolean): string | undefined {
  const fs = nodeFs();
  try {
    if (executable) fs.accessSync(path, fs.constants.X_OK);
    const real = fs.realpathSync(path);
    return fs.statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * writeSync to the descriptor: nothing is buffered, so the order of lines is kept and nothing is
 * lost at exit. A pipe that would block (O_NONBLOCK set by whoever created it) falls back to the
 * stream for the rest.
 */
function directOutput(fd: number, stream: () => NodeJS.WriteStream): OutputStream {
  return {
    write(text: string) {
      let rest = Buffer.from(text);
      while (rest.length > 0) {
        try {
          rest = rest.subarray(nodeFs().writeSync(fd, rest));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          return stream().write(rest);
        }
      }
      return true;
    },
  };
}

/** Listens only while someone waits, so other commands keep Node's default Ctrl-C behaviour. */
function untilInterrupted(until?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const off = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    const stop = (signal: NodeJS.Signals) => {
      off();
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    until?.addEventListener('abort', off, { once: true });
  });
}

/** Created on first use only: a readline interface keeps stdin open until it is closed. */
function openStdinLineReader(): LineReader {
  const terminal = isatty(0);
  const { createInterface } = nodeReadline();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal });
  const lines = rl[Symbol.asyncIterator]();
  // At a terminal, Ctrl-C reaches readline rather than the process: it cancels, as a SIGINT would.
  let interrupted = false;
  let interrupt = () => {};
  rl.on('SIGINT', () => {
    interrupted = true;
    process.stderr.write('\n');
    interrupt();
    rl.close();
  });
  return {
    async read(prompt) {
      if (interrupted) throw cancelledError();
      process.stderr.write(prompt);
      const cancelled = new Promise<never>((_, reject) => (interrupt = () => reject(cancelledError())));
      const next = await Promise.race([lines.next(), cancelled]);
      return next.done ? undefined : next.value;
    },
    close: () => rl.close(),
  };
}

async function openInBrowser(url: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  // On a Linux box without a display (SSH, containers) xdg-open would start a text browser in
  // this very terminal, or fail quietly. WSL has no DISPLAY but opens the Windows browser.
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY && !env.WSL_DISTRO_NAME) {
    throw new Error('no graphical display was found');
  }
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  // Without a listener, a missing opener binary would crash the process with an 'error' event.
  child.on('error', () => {});
  // Node sets `pid` synchronously when the spawn worked, and leaves it undefined when it did not.
  if (child.pid === undefined) throw new Error('the browser opener could not be started');
}

// Prompts write to stderr: stdout is reserved for `--json` results.
const inquirerPrompter: Prompter = {
  async confirm(input) {
    const { confirm } = await import('@inquirer/prompts');
    return confirm(input, { output: process.stderr });
  },
  async select(input) {
    const { select } = await import('@inquirer/prompts');
    return select({ message: input.message, choices: [...input.choices], default: input.default, pageSize: 12 }, { output: process.stderr });
  },
  async search(input) {
    const { search } = await import('@inquirer/prompts');
    return search({ message: input.message, source: async (typed) => input.source(typed), default: input.default, pageSize: 12 }, { output: process.stderr });
  },
};
