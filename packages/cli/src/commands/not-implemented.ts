// Placeholder for commands whose module another change will provide.
import type { CliContext } from '../context.ts';
import { ExitCode } from '../ui/errors.ts';

export function notImplemented(ctx: Pick<CliContext, 'stderr'>, command: string): number {
  ctx.stderr.write(`keyless ${command}: not implemented yet\n`);
  return ExitCode.Usage;
}
