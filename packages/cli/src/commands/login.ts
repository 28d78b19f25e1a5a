// `keyless login`: the browser sign-in (PROTOCOL.md §1–2) — same-device, or cross-device with
// --remote — then the cache file and the profile (§3). Read as its steps: check the profile, pick
// region and endpoint, check that the endpoint is a sign-in service, sign in, re-check the profile against the identity that came back, write
// the cache, edit the config.
import type { CliContext } from '../context.ts';
import { writeFileAtomic } from '../aws-files/atomic-write.ts';
import {
  assertProfileHasNoOtherCredentials,
  assertValidProfileName,
  editProfile,
  KEYLESS_SERVICES,
  profileSettings,
  profilesUsingSession,
  readAwsConfigFile,
  servicesSectionOf,
  type AwsConfigFile,
} from '../aws-files/config-profile.ts';
import {
  assertCredentialProcessProfileFree,
  credentialProcessCommand,
  defaultCredentialProcessProfile,
  editCredentialProcessProfile,
} from '../aws-files/credential-process-profile.ts';
import { buildLoginCacheFile, loginCachePath, writeLoginCache } from '../aws-files/login-cache.ts';
import { awsPaths, displayPath, resolveProfileName } from '../aws-files/paths.ts';
import { configFileEndpoint, isInsecureRemote, normalizeEndpointUrl, resolveSigninEndpoint, type ResolvedEndpoint } from '../login/endpoint.ts';
import { assertIsSigninService } from '../login/check-endpoint.ts';
import { crossDeviceLogin } from '../login/cross-device.ts';
import { identityFromIdToken, type LoginIdentity } from '../login/id-token.ts';
import { resolveRegion, type ResolvedRegion } from '../login/region.ts';
import { remoteHint, remoteReason } from '../login/remote-hint.ts';
import { sameDeviceLogin, type SameDeviceLogin } from '../login/same-device.ts';
import { revokeRefreshToken } from '../signin/revoke.ts';
import { CliError, ExitCode, usageError } from '../ui/errors.ts';
import { createOutput, type Output } from '../ui/output.ts';

export interface LoginOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** 0 or undefined: a random free port. */
  redirectPort?: number;
  /** false with --no-browser: print the URL only. */
  browser?: boolean;
  /** --remote: the cross-device flow; sign in anywhere, paste the verification code here. */
  remote?: boolean;
  /** Answer yes to confirmations (replacing a different login_session). */
  yes?: boolean;
  /**
   * Also write a `credential_process` profile, for tools that do not know login_session: true for
   * PROFILE-process, or the name to give it.
   */
  credentialProcess?: boolean | string;
  json?: boolean;
  /** Tests shorten the 10-minute wait. */
  timeoutMs?: number;
}

export async function run(options: LoginOptions, ctx: CliContext): Promise<number> {
  const out = createOutput(ctx, { json: options.json });
  const interactive = ctx.stdin.isTTY === true;
  const profile = resolveProfileName(options.profile, ctx.env);
  assertValidProfileName(profile);
  const paths = awsPaths(ctx.env, ctx.homeDir);

  // 1. The profile must not already hold another kind of credentials (PROTOCOL.md §3).
  const before = await readAwsConfigFile(paths.configFile);
  const credentials = await readAwsConfigFile(paths.credentialsFile);
  assertProfileHasNoOtherCredentials(profile, before, credentials);
  const processProfile = options.credentialProcess === undefined || options.credentialProcess === false ? undefined : options.credentialProcess === true ? defaultCredentialProcessProfile(profile) : options.credentialProcess;
  if (processProfile !== undefined) {
    assertValidProfileName(processProfile);
    assertCredentialProcessProfileFree(before, processProfile, profile);
  }
  const settings = profileSettings(before.sections, profile);

  // 2. Region and endpoint, resolved like the AWS CLI and SDKs resolve them.
  const region = await resolveRegion({
    option: options.region,
    env: ctx.env,
    profileRegion: settings?.region,
    interactive,
    prompts: ctx.prompts,
    say: out.say,
    warn: out.warn,
  });
  const endpoint = resolveSigninEndpoint({ option: options.endpointUrl, env: ctx.env, sections: before.sections, profile, region: region.region });
  if (isInsecureRemote(endpoint.url)) out.warn(`${endpoint.url} is plain http: your credentials will cross the network unencrypted.`);
  // Fail in seconds on a dead port or a server that is not a sign-in service, before any URL or browser.
  await assertIsSigninService({ fetch: ctx.fetch, baseUrl: endpoint.url });
  out.say(`Signing in to ${endpoint.url} (region ${region.region}) for profile "${profile}".`);

  // 3. The browser flow and the code redemption: here, or on another device with --remote.
  const login = options.remote
    ? await crossDeviceLogin({ ctx, out, baseUrl: endpoint.url })
    : await sameDeviceLogin({
        ctx,
        out,
        baseUrl: endpoint.url,
        redirectPort: options.redirectPort,
        openBrowser: options.browser !== false,
        timeoutMs: options.timeoutMs,
        hint: remoteReason(ctx.env, process.platform) && remoteHint(remoteReason(ctx.env, process.platform)!),
      });
  const identity = identityFromIdToken(login.token.idToken);

  // 4. The config may have changed while the browser was open: decide on a fresh read.
  const config = await readAwsConfigFile(paths.configFile);
  assertProfileHasNoOtherCredentials(profile, config, credentials);
  await confirmReplacingSession({ ctx, out, options, interactive, profile, config, identity, login, endpoint });

  // 5. The cache file, then the profile that points at it.
  const cacheFile = loginCachePath(paths.loginCacheDir, identity.loginSession);
  const cache = buildLoginCacheFile({
    token: login.token,
    accountId: identity.accountId,
    clientId: login.clientId,
    dpopKey: login.dpopKey,
    now: login.receivedAt,
    signInRegion: region.region,
  });
  await writeLoginCache(cacheFile, cache);
  const saved = await saveProfile({ ctx, config, profile, identity, region, endpoint, endpointOption: options.endpointUrl, processProfile });

  // The cache file is the principal's: every other profile of the same session now uses this sign-in.
  const sharing = profilesUsingSession(config.sections, identity.loginSession).filter((name) => name !== profile);
  reportSuccess({ ctx, out, profile, identity, region, endpoint, cacheFile, configFile: paths.configFile, expiresAt: cache.accessToken.expiresAt, saved, sharing });
  return ExitCode.Ok;
}

/** PROTOCOL.md §3: ask before replacing a different login_session; scripts need --yes. */
async function confirmReplacingSession(input: {
  ctx: CliContext;
  out: Output;
  options: LoginOptions;
  interactive: boolean;
  profile: string;
  config: AwsConfigFile;
  identity: LoginIdentity;
  login: SameDeviceLogin;
  endpoint: ResolvedEndpoint;
}): Promise<void> {
  const existing = profileSettings(input.config.sections, input.profile)?.login_session;
  if (existing === undefined || existing === input.identity.loginSession || input.options.yes) return;
  let error: CliError | undefined;
  if (!input.interactive) {
    error = usageError(
      'LOGIN_SESSION_CONFLICT',
      `Profile "${input.profile}" already uses login session ${existing}, and you signed in as ${input.identity.loginSession}.\n` +
        'Pass --yes to replace it, or --profile NEW-NAME to keep both.',
    );
  } else {
    input.out.say(`Profile "${input.profile}" already uses login session ${existing}.`);
    const replace = await input.ctx.prompts.confirm({ message: `Replace it with ${input.identity.loginSession}?`, default: false });
    if (!replace) error = new CliError('CANCELLED', `Left profile "${input.profile}" unchanged.`, ExitCode.Cancelled);
  }
  if (!error) return;
  // The new session will not be used: do not leave a live refresh token behind.
  await revokeRefreshToken({
    fetch: input.ctx.fetch,
    baseUrl: input.endpoint.url,
    clientId: input.login.clientId,
    refreshToken: input.login.token.refreshToken,
    dpopKey: input.login.dpopKey,
    now: input.ctx.now(),
  }).catch((revokeError: unknown) => input.out.warn(`Could not revoke the unused sign-in: ${(revokeError as Error).message}`));
  throw error;
}

interface SavedProfile {
  regionWritten: boolean;
  /** Set when --endpoint-url was saved into the profile's services section. */
  servicesName?: string;
  /** Set with --credential-process: the profile written, and its command. */
  processProfile?: { name: string; command: string };
}

async function saveProfile(input: {
  ctx: CliContext;
  config: AwsConfigFile;
  profile: string;
  identity: LoginIdentity;
  region: ResolvedRegion;
  endpoint: ResolvedEndpoint;
  endpointOption?: string;
  processProfile?: string;
}): Promise<SavedProfile> {
  const settings = profileSettings(input.config.sections, input.profile);
  // A region the user had to give (prompt or --region with none configured) is kept, so the AWS CLI has one too.
  const regionWritten = !settings?.region && (input.region.source === 'prompt' || input.region.source === 'option');
  // --endpoint-url is saved where the SDKs look, unless the profile already resolves to it.
  const saveEndpoint = input.endpoint.source === 'option' && !profileResolvesTo(input.config, input.profile, input.endpoint.url);
  const edit = editProfile(input.config, input.profile, {
    loginSession: input.identity.loginSession,
    region: regionWritten ? input.region.region : undefined,
    endpointUrl: saveEndpoint ? input.endpoint.url : undefined,
  });
  let text = edit.text;
  let processProfile: SavedProfile['processProfile'];
  if (input.processProfile !== undefined) {
    const command = credentialProcessCommand({ self: input.ctx.self(), onPath: input.ctx.findOnPath('keyless'), profile: input.profile });
    const services = edit.servicesName ?? servicesSectionOf(input.config.sections, input.profile)?.name;
    text = editCredentialProcessProfile(input.config, text, { name: input.processProfile, command, region: settings?.region ?? input.region.region, services });
    processProfile = { name: input.processProfile, command };
  }
  if (text !== input.config.text) {
    await writeFileAtomic(input.config.path, text, { keepMode: true, mode: 0o600 });
  }
  return { regionWritten, servicesName: edit.servicesName, processProfile };
}

function profileResolvesTo(config: AwsConfigFile, profile: string, url: string): boolean {
  return KEYLESS_SERVICES.every((service) => {
    const found = configFileEndpoint(config.sections, profile, service);
    if (!found) return false;
    try {
      return normalizeEndpointUrl(found.url, found.where) === url;
    } catch {
      return false;
    }
  });
}

function reportSuccess(input: {
  ctx: CliContext;
  out: Output;
  profile: string;
  identity: LoginIdentity;
  region: ResolvedRegion;
  endpoint: ResolvedEndpoint;
  cacheFile: string;
  configFile: string;
  expiresAt: string;
  saved: SavedProfile;
  /** Other profiles with the same login_session, so the same cache file. */
  sharing: readonly string[];
}): void {
  const { out, profile, identity, saved } = input;
  const home = input.ctx.homeDir;
  out.say(`\nSigned in as ${identity.loginSession} (account ${identity.accountId}).`);
  out.say(`Profile "${profile}" in ${displayPath(input.configFile, home)} now uses this login session${saved.regionWritten ? `, region ${input.region.region}` : ''}.`);
  if (saved.servicesName) {
    out.say(
      `Saved ${input.endpoint.url} as the ${KEYLESS_SERVICES.join(', ')} endpoint_url of [services ${saved.servicesName}] (services = ${saved.servicesName} in the profile),\n` +
        'so the AWS CLI (v2.13 and later), the SDKs and `keyless whoami` reach this server without --endpoint-url.',
    );
  }
  out.say(`Credentials cached in ${displayPath(input.cacheFile, home)} until ${input.expiresAt}; the AWS CLI and SDKs refresh them from there.`);
  if (input.sharing.length > 0) {
    out.say(`Also signed in: ${input.sharing.join(', ')} — same session (${identity.loginSession}), one cache file: this sign-in replaced theirs.`);
  }
  const flag = profile === 'default' ? '' : ` --profile ${profile}`;
  out.say(`\nTry it:  keyless whoami${flag}`);
  out.say(`With an AWS CLI that knows login_session (v2.32 or later) or the SDKs:  aws sts get-caller-identity${flag}`);
  if (saved.processProfile) {
    // Tools that predate login_session mostly predate service-specific endpoints too (AWS CLI v1, v2 before 2.13).
    const endpointFlag = isAwsSignin(input.endpoint.url) ? '' : ` --endpoint-url ${input.endpoint.url}`;
    out.say(`Profile "${saved.processProfile.name}" runs \`${saved.processProfile.command}\` (credential_process), for any AWS CLI (v1 too) and boto3:`);
    out.say(`  aws sts get-caller-identity --profile ${saved.processProfile.name}${endpointFlag}`);
  } else {
    out.say(`For the AWS CLI v1, v2 before 2.32 and boto3 without awscrt: \`keyless login${flag} --credential-process\` also writes a credential_process profile.`);
  }
  if (profile !== 'default') out.say(`or use the profile for this shell:  export AWS_PROFILE=${profile}`);
  if (input.ctx.env.AWS_ACCESS_KEY_ID) out.warn('AWS_ACCESS_KEY_ID is set in this shell: the AWS CLI and SDKs use it before any profile.');
  const serviceEnv = input.ctx.env.AWS_ENDPOINT_URL_SIGNIN;
  if (input.endpoint.source === 'option' && serviceEnv && serviceEnv !== input.endpoint.url) {
    out.warn(`AWS_ENDPOINT_URL_SIGNIN (${serviceEnv}) is set in this shell and overrides the saved endpoint.`);
  }
  out.result({
    loginSession: identity.loginSession,
    accountId: identity.accountId,
    profile,
    region: input.region.region,
    endpoint: input.endpoint.url,
    cacheFile: input.cacheFile,
    configFile: input.configFile,
    expiresAt: input.expiresAt,
    ...(saved.processProfile ? { credentialProcessProfile: saved.processProfile.name } : {}),
  });
}

const isAwsSignin = (url: string) => /\.signin\.aws\.amazon\.com$/.test(new URL(url).hostname);
