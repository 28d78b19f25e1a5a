// `keyless credential-process --profile P`: prints `credential_process` JSON (PROTOCOL.md §3),
// refreshing the cached credentials when needed. Runs before every AWS CLI call: keep it lean.
import type { CliContext } from '../context.ts';
import { notImplemented } from './not-implemented.ts';

export interface CredentialProcessOptions {
  profile?: string;
}

export async function run(_options: CredentialProcessOptions, ctx: CliContext): Promise<number> {
  return notImplemented(ctx, 'credential-process');
}
