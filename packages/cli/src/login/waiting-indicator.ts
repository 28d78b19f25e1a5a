// Shows that the CLI is waiting for the browser: a spinner with the elapsed time on a terminal,
// plain lines now and then otherwise (CI logs, pipes), so nobody wonders whether it hung.
import type { OutputStream } from '../context.ts';

export interface WaitingIndicator {
  /** Stops and clears the spinner line. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function startWaitingIndicator(
  stream: OutputStream,
  input: { message: string; timeoutMs: number; now: () => Date; frameMs?: number; plainEveryMs?: number },
): WaitingIndicator {
  const started = input.now().getTime();
  const elapsed = () => formatDuration(input.now().getTime() - started);
  if (!stream.isTTY) {
    const minutes = input.timeoutMs % 60_000 === 0 ? `${input.timeoutMs / 60_000} min` : formatDuration(input.timeoutMs);
    stream.write(`${input.message} (times out after ${minutes})\n`);
    const timer = setInterval(() => stream.write(`Still waiting (${elapsed()} of ${formatDuration(input.timeoutMs)})...\n`), input.plainEveryMs ?? 60_000);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  let frame = 0;
  const draw = () => {
    // Short enough for an 80-column terminal: a wrapped line could not be redrawn in place.
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${input.message} ${elapsed()} / ${formatDuration(input.timeoutMs)}`);
  };
  draw();
  const timer = setInterval(draw, input.frameMs ?? 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

/** 75_000 → `1:15`; 600_000 → `10:00`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
