// Errors the user sees. Command code throws a CliError carrying a stable `code` and an exit
// status; `reportError` is the one place that turns any thrown value into text (STYLE.md §4).

/** Exit statuses scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  /** Bad flags, a profile we must not touch, or something only the user can fix before retrying. */
  Usage: 2,
  /** The sign-in server or the user refused (error= in the callback, an AccessDenied code). */
  Refused: 3,
  /** The sign-in endpoint could not be reached, or answered something that is not the protocol. */
  Unreachable: 4,
  /** Nobody came back from the browser within the time limit. */
  Timeout: 5,
  /** Interrupted: Ctrl-C (SIGINT) at a prompt or while waiting, 128 + 2 as shells report it. */
  Cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    /** Stable, machine-readable: `REGION_REQUIRED`, `STATE_MISMATCH`, `TOKEN_EXPIRED`, ... */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const usageError = (code: string, message: string) => new CliError(code, message, ExitCode.Usage);

/** Ctrl-C before anything was written: one line, and the SIGINT convention's status. */
export const CANCELLED_MESSAGE = 'Cancelled; nothing was saved.';
export const cancelledError = () => new CliError('CANCELLED', CANCELLED_MESSAGE, ExitCode.Cancelled);

interface ErrorSink {
  stderr: { write(text: string): unknown };
  stdout: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/** Prints `error` for a human (stderr) and, with `json`, as `{"error":{code,message}}` on stdout. Returns the exit status. */
export function reportError(error: unknown, sink: ErrorSink, options: { json?: boolean } = {}): number {
  const debug = sink.env.KEYLESS_DEBUG === '1';
  let code: string;
  let message: string;
  let exitCode: number;
  if (error instanceof CliError) {
    ({ code, message, exitCode } = error);
  } else if (error instanceof Error && error.name === 'ExitPromptError') {
    // @inquirer/prompts throws this on Ctrl-C.
    [code, message, exitCode] = ['CANCELLED', CANCELLED_MESSAGE, ExitCode.Cancelled];
  } else {
    code = 'UNEXPECTED';
    message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    exitCode = ExitCode.Failure;
    if (!debug) message += '\n(Set KEYLESS_DEBUG=1 to see the details.)';
  }
  sink.stderr.write(`keyless: ${message}\n`);
  if (debug && error instanceof Error) sink.stderr.write(`${formatDebug(error)}\n`);
  if (options.json) sink.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  return exitCode;
}

function formatDebug(error: Error): string {
  let text = error.stack ?? String(error);
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `\nCaused by: ${cause.stack ?? String(cause)}`;
    cause = cause.cause;
  }
  if (cause !== undefined) text += `\nCaused by: ${String(cause)}`;
  return text;
}
