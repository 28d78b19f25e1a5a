// `keyless export-credentials --profile P --format F`: the current credentials as shell
// variables or credential_process JSON, like `aws configure export-credentials`.
import type { CliContext } from '../context.ts';
import { notImplemented } from './not-implemented.ts';

export const EXPORT_FORMATS = ['env', 'env-no-export', 'powershell', 'windows-cmd', 'process'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportCredentialsOptions {
  profile?: string;
  format: ExportFormat;
}

export async function run(_options: ExportCredentialsOptions, ctx: CliContext): Promise<number> {
  return notImplemented(ctx, 'export-credentials');
}
