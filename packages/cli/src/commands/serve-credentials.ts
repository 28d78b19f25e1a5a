// `keyless serve-credentials`: a local container-credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN) for tools without the
// login provider, serving the profile's refreshed credentials.
import type { CliContext } from '../context.ts';
import { notImplemented } from './not-implemented.ts';

export interface ServeCredentialsOptions {
  profile?: string;
  /** 0 or undefined: a random free port on 127.0.0.1. */
  port?: number;
}

export async function run(_options: ServeCredentialsOptions, ctx: CliContext): Promise<number> {
  return notImplemented(ctx, 'serve-credentials');
}
