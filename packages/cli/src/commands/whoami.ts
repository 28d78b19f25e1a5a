// `keyless whoami`: STS GetCallerIdentity with the profile's credentials (PROTOCOL.md §4),
// refreshed first when needed. Its steps: load the credentials, pick the region and the STS
// endpoint as the SDKs would, call, print — the identity is this command's result, so it goes to
// stdout, as `aws sts get-caller-identity` prints it; `--json` uses that command's shape.
import type { CliContext } from '../context.ts';
import { profileSettings } from '../aws-files/config-profile.ts';
import { loadCredentials } from '../credentials/load-credentials.ts';
import { configuredRegion } from '../login/region.ts';
import { resolveStsEndpoint } from '../sts/endpoint.ts';
import { getCallerIdentity } from '../sts/get-caller-identity.ts';
import { ExitCode } from '../ui/errors.ts';
import { createOutput } from '../ui/output.ts';

export interface WhoamiOptions {
  profile?: string;
  region?: string;
  /** The STS endpoint; default: AWS_ENDPOINT_URL_STS, the profile's services section, then AWS. */
  endpointUrl?: string;
  json?: boolean;
}

/** When nothing names a region: the one the session signed in to, else STS's historical home. */
const FALLBACK_REGION = 'us-east-1';

export async function run(options: WhoamiOptions, ctx: CliContext): Promise<number> {
  const out = createOutput(ctx, { json: options.json });
  const loaded = await loadCredentials({ ctx, profile: options.profile, warn: out.warn });

  const settings = profileSettings(loaded.config.sections, loaded.profile);
  const region =
    configuredRegion({ option: options.region, env: ctx.env, profileRegion: settings?.region })?.region ??
    (/^[a-z0-9-]+$/.test(loaded.cache.signInRegion ?? '') ? (loaded.cache.signInRegion as string) : FALLBACK_REGION);
  const endpoint = resolveStsEndpoint({ option: options.endpointUrl, env: ctx.env, sections: loaded.config.sections, profile: loaded.profile, region });

  const identity = await getCallerIdentity({ fetch: ctx.fetch, endpoint: endpoint.url, region, credentials: loaded.cache.accessToken, now: ctx.now() });

  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ UserId: identity.userId, Account: identity.account, Arn: identity.arn })}\n`);
  } else {
    ctx.stdout.write(`Arn      ${identity.arn}\nAccount  ${identity.account}\nUserId   ${identity.userId}\n`);
  }
  return ExitCode.Ok;
}
