// `keyless export-credentials --profile P --format F`: the current credentials (refreshed when
// needed) in the formats of `aws configure export-credentials`, which also defaults to `process`.
import type { CliContext } from '../context.ts';
import { formatCredentials, type ExportFormat } from '../credentials/export-formats.ts';
import { loadCredentials } from '../credentials/load-credentials.ts';
import { ExitCode } from '../ui/errors.ts';
import { createOutput } from '../ui/output.ts';

export { EXPORT_FORMATS, type ExportFormat } from '../credentials/export-formats.ts';

export interface ExportCredentialsOptions {
  profile?: string;
  format: ExportFormat;
}

export async function run(options: ExportCredentialsOptions, ctx: CliContext): Promise<number> {
  const { cache } = await loadCredentials({ ctx, profile: options.profile, warn: createOutput(ctx).warn });
  ctx.stdout.write(formatCredentials(options.format, cache.accessToken));
  return ExitCode.Ok;
}
