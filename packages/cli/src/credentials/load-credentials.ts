// The one place that turns a profile into valid credentials, for every command that needs them
// (credential-process, export-credentials, whoami, serve-credentials). Its steps:
//   profile → login_session (the config file) → the cache file (PROTOCOL.md §3)
//   → five minutes or more left: use them as they are
//   → otherwise refresh under the cross-process lock (refresh-session.ts).
// `credential-process` runs before every AWS CLI call, so the common case — fresh credentials on
// disk — reads two small files and imports nothing for refreshing: that module is loaded on demand.
import type { LoginCacheFile } from '@keyless/protocol';
import type { CliContext } from '../context.ts';
import { profileExists, profileSettings, readAwsConfigFile, type AwsConfigFile } from '../aws-files/config-profile.ts';
import { loginCachePath, readLoginCache } from '../aws-files/login-cache-read.ts';
import { awsPaths, displayPath, resolveProfileName } from '../aws-files/paths.ts';
import { usageError } from '../ui/errors.ts';
import type { FileLockOptions } from './file-lock.ts';
import { isFresh } from './freshness.ts';
import { loginCommandFor, notLoggedIn } from './session-errors.ts';

export interface LoadCredentialsInput {
  ctx: Pick<CliContext, 'env' | 'homeDir' | 'now' | 'fetch'>;
  /** `--profile`; else AWS_PROFILE, else `default`. */
  profile?: string;
  /** A line for stderr: a refresh failed but the cached credentials still work. */
  warn: (message: string) => void;
  /** Lock timings, for tests. */
  lock?: Pick<FileLockOptions<unknown>, 'timeoutMs' | 'staleMs'>;
}

export interface LoadedCredentials {
  profile: string;
  loginSession: string;
  cachePath: string;
  /** The cache file the credentials come from; after a refresh, as written. */
  cache: LoginCacheFile;
  /** True when this call refreshed them at the sign-in endpoint. */
  refreshed: boolean;
  /** The config file as read, for callers that need more of the profile (whoami's region, STS endpoint). */
  config: AwsConfigFile;
}

export async function loadCredentials(input: LoadCredentialsInput): Promise<LoadedCredentials> {
  const { ctx } = input;
  const profile = resolveProfileName(input.profile, ctx.env);
  const paths = awsPaths(ctx.env, ctx.homeDir);
  const config = await readAwsConfigFile(paths.configFile);
  const loginSession = loginSessionOf(config, profile, ctx.homeDir);
  const cachePath = loginCachePath(paths.loginCacheDir, loginSession);

  const cache = await readLoginCache(cachePath);
  if (cache === undefined) throw notLoggedIn(profile);
  const found = { profile, loginSession, cachePath, config };
  if (isFresh(cache, ctx.now())) return { ...found, cache, refreshed: false };

  const { refreshSession } = await import('./refresh-session.ts');
  return { ...found, ...(await refreshSession({ ...input, ...found, cached: cache })) };
}

function loginSessionOf(config: AwsConfigFile, profile: string, homeDir: string): string {
  const session = profileSettings(config.sections, profile)?.login_session;
  if (session) return session;
  const where = displayPath(config.path, homeDir);
  const what = profileExists(config.sections, profile) ? `has no login_session in ${where}` : `is not in ${where}`;
  throw usageError('NO_LOGIN_SESSION', `Profile "${profile}" ${what}. Run \`${loginCommandFor(profile)}\` first.`);
}
