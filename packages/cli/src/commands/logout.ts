// `keyless logout [--profile P] [--all]` (PROTOCOL.md §3): revoke the refresh token at the
// server, then delete the cache file — the file goes even when the server cannot be reached.
// The profile keeps its `login_session` line, as with the AWS CLI: `keyless login` reuses it.
// Every profile naming the same session shares its cache file, so each one signed out is named,
// and what is said about credentials tools already hold is what is true of them: a Keyless server
// refuses them from the revocation on; AWS's STS, or a session that could not be revoked, honours
// them until they expire.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cacheFileName } from '@keyless/protocol';
import type { CliContext } from '../context.ts';
import { profileNames, profileSettings, profilesUsingSession, readAwsConfigFile, type AwsConfigFile } from '../aws-files/config-profile.ts';
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

/** What became of one cache file's session at the server. */
type Revocation = ({ revoked: true; baseUrl: string } | { revoked: false }) & { expiresAt: string | undefined };

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
  const revocation = await revokeCached(ctx, out, content, endpointFor(ctx, config, profile, content));
  await deleteLoginCache(path);
  out.say(`Logged out profile "${profile}": removed ${displayPath(path, ctx.homeDir)}.`);
  const others = profilesUsingSession(config.sections, loginSession).filter((name) => name !== profile);
  if (others.length > 0) out.say(`Also signed out: ${others.join(', ')} — same session (${loginSession}), one cache file.`);
  for (const line of whatHoldersCanDo([revocation])) out.say(line);
  return ExitCode.Ok;
}

async function logoutAll(ctx: CliContext, out: Output, config: AwsConfigFile, cacheDir: string): Promise<number> {
  const entries = await listLoginCacheFiles(cacheDir);
  if (entries.length === 0) {
    out.say(`No cached login credentials in ${displayPath(cacheDir, ctx.homeDir)}.`);
    return ExitCode.Ok;
  }
  // Which profile a cache file belongs to decides which endpoint can revoke its refresh token.
  const profilesOfFile = new Map<string, string[]>();
  for (const name of profileNames(config.sections)) {
    const session = profileSettings(config.sections, name)?.login_session;
    if (session) profilesOfFile.set(cacheFileName(session), [...(profilesOfFile.get(cacheFileName(session)) ?? []), name]);
  }
  const revocations = await Promise.all(
    entries.map(async (entry) => {
      const profile = profilesOfFile.get(basename(entry.path))?.[0];
      const revocation = await revokeCached(ctx, out, entry.content, endpointFor(ctx, config, profile, entry.content));
      await deleteLoginCache(entry.path);
      return revocation;
    }),
  );
  out.say(`Logged out: removed ${entries.length} cached login credential file${entries.length === 1 ? '' : 's'} from ${displayPath(cacheDir, ctx.homeDir)}.`);
  const removed = new Set(entries.map((entry) => basename(entry.path)));
  const signedOut = profileNames(config.sections).filter((name) => {
    const session = profileSettings(config.sections, name)?.login_session;
    return session !== undefined && removed.has(cacheFileName(session));
  });
  if (signedOut.length > 0) out.say(`Signed out: ${signedOut.join(', ')}.`);
  for (const line of whatHoldersCanDo(revocations)) out.say(line);
  return ExitCode.Ok;
}

/**
 * What tools that already loaded the credentials can still do. A Keyless server refuses a revoked
 * session's keys on its own endpoints at once (within a second on its other instances); AWS's
 * sign-in service ends the session, but keys its STS issued stay valid until they expire.
 */
function whatHoldersCanDo(revocations: readonly Revocation[]): string[] {
  const lines: string[] = [];
  const atKeyless = revocations.filter((r): r is Extract<Revocation, { revoked: true }> => r.revoked && !isAwsEndpoint(r.baseUrl));
  if (atKeyless.length > 0) {
    lines.push(`${atKeyless[0]!.baseUrl} refuses these credentials from now on: tools that already loaded them get ExpiredToken ("revoked") from its STS, IAM and CloudTrail endpoints.`);
  }
  const expiries = revocations.filter((r) => !r.revoked || isAwsEndpoint(r.baseUrl)).map((r) => r.expiresAt);
  if (expiries.length > 0) {
    const latest = expiries.every((e) => e !== undefined) ? expiries.sort().at(-1) : undefined;
    const until = latest ? `until they expire at ${latest}` : 'until they expire (at most 15 minutes)';
    const what = revocations.some((r) => !r.revoked) ? 'Credentials of a session that was not revoked at its server' : "Credentials issued by AWS's STS";
    lines.push(`${what} stay valid ${until}: tools that already loaded them can use them until then.`);
  }
  return lines;
}

const isAwsEndpoint = (baseUrl: string) => /(^|\.)(amazonaws\.com|aws\.amazon\.com|amazonaws\.com\.cn)$/.test(new URL(baseUrl).hostname);

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
async function revokeCached(ctx: CliContext, out: Output, content: Record<string, unknown>, baseUrl: string | undefined): Promise<Revocation> {
  const { clientId, refreshToken, dpopKey } = content;
  const expiresAt = (content.accessToken as { expiresAt?: unknown } | undefined)?.expiresAt;
  const until = typeof expiresAt === 'string' ? expiresAt : undefined;
  const notRevoked: Revocation = { revoked: false, expiresAt: until };
  if (typeof clientId !== 'string' || typeof refreshToken !== 'string' || typeof dpopKey !== 'string') {
    out.warn('A cache file lacks the clientId, refreshToken or dpopKey needed to revoke its session; deleting it anyway.');
    return notRevoked;
  }
  if (!baseUrl) {
    out.warn('Could not tell which sign-in endpoint issued a cached session (no region or endpoint configured); it was not revoked.');
    return notRevoked;
  }
  try {
    await revokeRefreshToken({ fetch: ctx.fetch, baseUrl, clientId, refreshToken, dpopKey: importDpopKey(dpopKey), now: ctx.now() });
    return { revoked: true, baseUrl, expiresAt: until };
  } catch (error) {
    out.warn(
      `Could not revoke the refresh token at ${baseUrl}: ${(error as Error).message}\n` +
        '  The local copy is deleted anyway; the session ends at the server when it expires or an administrator revokes it.',
    );
    return notRevoked;
  }
}
