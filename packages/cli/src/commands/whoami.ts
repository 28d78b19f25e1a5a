// `keyless whoami`: STS GetCallerIdentity with the profile's credentials (PROTOCOL.md §4).
import type { CliContext } from '../context.ts';
import { notImplemented } from './not-implemented.ts';

export interface WhoamiOptions {
  profile?: string;
  region?: string;
  /** The STS endpoint; default: AWS_ENDPOINT_URL_STS, the profile's services section, then AWS. */
  endpointUrl?: string;
  json?: boolean;
}

export async function run(_options: WhoamiOptions, ctx: CliContext): Promise<number> {
  return notImplemented(ctx, 'whoami');
}
