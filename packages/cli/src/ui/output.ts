// Human text always goes to stderr; stdout carries only the `--json` result, one JSON object,
// so `keyless login --json | jq` works while the person still sees the prompts and progress.
import type { OutputStream } from '../context.ts';

export interface Output {
  readonly json: boolean;
  /** A line for the person at the terminal. */
  say(text: string): void;
  warn(text: string): void;
  /** The machine-readable result: printed only with --json. */
  result(value: Record<string, unknown>): void;
}

export function createOutput(streams: { stdout: OutputStream; stderr: OutputStream }, options: { json?: boolean } = {}): Output {
  const json = options.json === true;
  return {
    json,
    say: (text) => void streams.stderr.write(`${text}\n`),
    warn: (text) => void streams.stderr.write(`warning: ${text}\n`),
    result: (value) => {
      if (json) streams.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}
