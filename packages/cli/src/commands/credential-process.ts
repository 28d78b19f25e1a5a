// `keyless credential-process [--profile P] [--endpoint-url URL]`: the profile's credentials as `credential_process`
// JSON (PROTOCOL.md §3), refreshed when fewer than five minutes remain, so that
// `credential_process = keyless credential-process --profile P` works in ~/.aws/config.
// Contract with the caller: stdout holds exactly one line of JSON on success and nothing else;
// warnings and errors go to stderr, errors with a non-zero exit status. It runs before every AWS
// CLI call: main.ts reaches it without commander, and it imports nothing interactive and nothing
// that loads node:crypto (see aws-files/login-cache-read.ts; credential-process.test.ts checks).
import { toProcessCredentials } from '@keyless/protocol/cache-file';
import type { CliContext } from '../context.ts';
import { loadCredentials } from '../credentials/load-credentials.ts';
import { normalizeEndpointUrl } from '../login/endpoint.ts';
import { ExitCode } from '../ui/errors.ts';
import { createOutput } from '../ui/output.ts';

export interface CredentialProcessOptions {
  profile?: string;
  /** The sign-in endpoint that refreshes, as `login --endpoint-url` takes it; default: env, then the profile. */
  endpointUrl?: string;
}

export async function run(options: CredentialProcessOptions, ctx: CliContext): Promise<number> {
  // --endpoint-url comes first, exactly as AWS_ENDPOINT_URL_SIGNIN would (login/endpoint.ts's order).
  const env = options.endpointUrl === undefined ? ctx.env : { ...ctx.env, AWS_ENDPOINT_URL_SIGNIN: normalizeEndpointUrl(options.endpointUrl, '--endpoint-url') };
  const { cache } = await loadCredentials({ ctx: { ...ctx, env }, profile: options.profile, warn: createOutput(ctx).warn });
  ctx.stdout.write(`${JSON.stringify(toProcessCredentials(cache))}\n`);
  return ExitCode.Ok;
}
