// `keyless logout [--profile P] [--all]` (PROTOCOL.md §3): revoke the refresh token at the
// server, then delete the cache file — the file goes even when the server cannot be reached.
// The profile keeps its `login_session` line, as with the AWS CLI: `keyless login` reuses it.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cacheFileName } from '@keyless/protocol';
import type { CliContext } from '../context.ts';
import { profileSettings, readAwsConfigFile, type AwsConfigFile } from '../aws-files/config-profile.ts';
import { deleteLoginCache, importDpopKey, listLoginCacheFiles, loginCachePath } from '../aws-files/login-cache.ts';
import { awsPaths, displayPath, resolveProfileName } from '../aws-files/paths.ts';
import { sessionSigninEndpoint } from '../credentials/session-endpoint.ts';
import { revokeRefreshToken } from '../signin/revoke.ts';
import { ExitCode } from '../ui/errors.ts';
import { createOutput, type Output } from '../ui/output.ts';

export interface LogoutOptions {
  profile?: string;
  all?: boolean;
}

const STILL_VALID =
  'Tools that already loaded these credentials can keep using them until they expire (at most 15 minutes).';

export async function run(options: LogoutOptions, ctx: CliContext): Promise<number> {
  const out = createOutput(ctx);
  const paths = awsPaths(ctx.env, ctx.homeDir);
  const config = await readAwsConfigFile(paths.configFile);
  return options.all ? logoutAll(ctx, out, config, paths.loginCacheDir) : logoutProfile(ctx, out, config, paths.loginCacheDir, resolveProfileName(options.profile, ctx.env));
}

async function logoutProfile(ctx: CliContext, out: Output, config: AwsConfigFile, cacheDir: string, profile: string): Promise<number> {
  const loginSession = profileSettings(config.sections, profile)?.login_session;
  if (!loginSession) {
    out.warn(`Profile "${profile}" has no login session (no login_session in ${displayPath(config.path, ctx.homeDir)}); nothing to do.`);
    return ExitCode.Ok;
  }
  const path = loginCachePath(cacheDir, loginSession);
  const content = await readCacheContent(path);
  if (content === undefined) {
    out.say(`No cached credentials for profile "${profile}": already logged out.`);
    return ExitCode.Ok;
  }
  await revokeCached(ctx, out, content, endpointFor(ctx, config, profile, content));
  await deleteLoginCache(path);
  out.say(`Logged out profile "${profile}": removed ${displayPath(path, ctx.homeDir)}.`);
  out.say(STILL_VALID);
  return ExitCode.Ok;
}

async function logoutAll(ctx: CliContext, out: Output, config: AwsConfigFile, cacheDir: string): Promise<number> {
  const entries = await listLoginCacheFiles(cacheDir);
  if (entries.length === 0) {
    out.say(`No cached login credentials in ${displayPath(cacheDir, ctx.homeDir)}.`);
    return ExitCode.Ok;
  }
  // Which profile a cache file belongs to decides which endpoint can revoke its refresh token.
  const profileOfFile = new Map<string, string>();
  for (const name of profileNames(config)) {
    const session = profileSettings(config.sections, name)?.login_session;
    if (session && !profileOfFile.has(cacheFileName(session))) profileOfFile.set(cacheFileName(session), name);
  }
  await Promise.all(
    entries.map(async (entry) => {
      const profile = profileOfFile.get(basename(entry.path));
      await revokeCached(ctx, out, entry.content, endpointFor(ctx, config, profile, entry.content));
      await deleteLoginCache(entry.path);
    }),
  );
  out.say(`Logged out: removed ${entries.length} cached login credential file${entries.length === 1 ? '' : 's'} from ${displayPath(cacheDir, ctx.homeDir)}.`);
  out.say(STILL_VALID);
  return ExitCode.Ok;
}

/** The raw JSON of a cache file (a damaged one is still deleted), or undefined when it does not exist. */
async function readCacheContent(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The sign-in endpoint of a cached session: env or the profile's config, else AWS's for the region it signed in to. */
function endpointFor(ctx: CliContext, config: AwsConfigFile, profile: string | undefined, content: Record<string, unknown>): string | undefined {
  return sessionSigninEndpoint({ env: ctx.env, sections: config.sections, profile, signInRegion: content.signInRegion });
}

/** Best effort: a failure is a warning, never a reason to keep the local file. */
async function revokeCached(ctx: CliContext, out: Output, content: Record<string, unknown>, baseUrl: string | undefined): Promise<void> {
  const { clientId, refreshToken, dpopKey } = content;
  if (typeof clientId !== 'string' || typeof refreshToken !== 'string' || typeof dpopKey !== 'string') {
    out.warn('A cache file lacks the clientId, refreshToken or dpopKey needed to revoke its session; deleting it anyway.');
    return;
  }
  if (!baseUrl) {
    out.warn('Could not tell which sign-in endpoint issued a cached session (no region or endpoint configured); it was not revoked.');
    return;
  }
  try {
    await revokeRefreshToken({ fetch: ctx.fetch, baseUrl, clientId, refreshToken, dpopKey: importDpopKey(dpopKey), now: ctx.now() });
  } catch (error) {
    out.warn(
      `Could not revoke the refresh token at ${baseUrl}: ${(error as Error).message}\n` +
        '  The local copy is deleted anyway; the session ends at the server when it expires or an administrator revokes it.',
    );
  }
}

function profileNames(config: AwsConfigFile): string[] {
  const names = new Set<string>();
  for (const section of config.sections.keys()) {
    if (section === 'default' || section === 'profile default') names.add('default');
    else if (section.startsWith('profile ')) names.add(section.slice('profile '.length));
  }
  return [...names];
}
