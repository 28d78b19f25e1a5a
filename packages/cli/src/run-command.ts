// Runs one command: load its module, build the process context, turn a thrown error into text
// and an exit status (ui/errors.ts). Shared by the commander program and the fast path.
import { createProcessContext, type CliContext, type ProcessContextOptions } from './context.ts';
import { reportError } from './ui/errors.ts';

export interface CommandModule<O> {
  run(options: O, ctx: CliContext): Promise<number>;
}

export async function runCommand<O extends object>(
  load: () => Promise<CommandModule<O>>,
  options: O,
  contextOptions: ProcessContextOptions = {},
): Promise<void> {
  const ctx = createProcessContext(contextOptions);
  try {
    process.exitCode = await (await load()).run(options, ctx);
  } catch (error) {
    process.exitCode = reportError(error, ctx, { json: (options as { json?: unknown }).json === true });
  }
}
