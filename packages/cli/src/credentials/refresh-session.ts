// Refreshing a cached session when several processes may be doing the same (PROTOCOL.md §2–3).
// Loaded only when the credentials on disk have fewer than five minutes left. Steps:
//   1. take the lock beside the cache file — or, while waiting, notice that its holder already
//      wrote fresh credentials and use those;
//   2. re-read the cache file: another process may have refreshed between our read and the lock;
//   3. still stale: redeem the refresh token, write the new cache file atomically (0600);
//   4. release the lock (always).
// A refresh that fails while the cached credentials still work hands those out with a warning,
// as the SDKs do — except when the server says the session is over, which no retry will change.
import type { LoginCacheFile } from '@keyless/protocol';
import type { CliContext } from '../context.ts';
import type { AwsConfigFile } from '../aws-files/config-profile.ts';
import { readLoginCache, writeLoginCache } from '../aws-files/login-cache.ts';
import { CliError, ExitCode } from '../ui/errors.ts';
import { FileLockTimeoutError, withFileLock, type FileLockOptions } from './file-lock.ts';
import { hasExpired, isFresh } from './freshness.ts';
import { loginCommandFor, notLoggedIn } from './session-errors.ts';
import { cacheAfterRefresh, redeemRefreshToken } from './refresh-token-grant.ts';
import { sessionSigninEndpoint } from './session-endpoint.ts';

export interface SessionRefresh {
  ctx: Pick<CliContext, 'env' | 'now' | 'fetch'>;
  profile: string;
  config: AwsConfigFile;
  cachePath: string;
  /** The cache file as first read, outside the lock. */
  cached: LoginCacheFile;
  warn: (message: string) => void;
  lock?: Pick<FileLockOptions<unknown>, 'timeoutMs' | 'staleMs'>;
}

export interface RefreshOutcome {
  cache: LoginCacheFile;
  refreshed: boolean;
}

/** AccessDeniedException codes (PROTOCOL.md §2): the session is over; old credentials are not handed out. */
const SESSION_OVER = new Set(['TOKEN_EXPIRED', 'USER_CREDENTIALS_CHANGED', 'INSUFFICIENT_PERMISSIONS', 'AccessDeniedException']);

export async function refreshSession(input: SessionRefresh): Promise<RefreshOutcome> {
  const { ctx, cachePath } = input;
  // While waiting: a file caught half-written (the JS SDK rewrites it in place) is no answer yet.
  const freshOnDisk = async (): Promise<RefreshOutcome | undefined> => {
    const cache = await readLoginCache(cachePath).catch(() => undefined);
    return cache && isFresh(cache, ctx.now()) ? { cache, refreshed: false } : undefined;
  };
  try {
    return await withFileLock(
      `${cachePath}.lock`,
      async () => {
        const current = await readLoginCache(cachePath);
        if (current === undefined) throw notLoggedIn(input.profile); // logged out meanwhile
        if (isFresh(current, ctx.now())) return { cache: current, refreshed: false };
        return await refreshOrKeep(input, current);
      },
      { ...input.lock, settledWhileWaiting: freshOnDisk },
    );
  } catch (error) {
    if (!(error instanceof FileLockTimeoutError)) throw error;
    const current = (await readLoginCache(cachePath)) ?? input.cached;
    return keepUnlessExpired(input, current, `another keyless process has been refreshing them for ${Math.round(error.waitedMs / 1000)} s`, error);
  }
}

/** Step 3: refresh, or fall back to credentials that still work. Runs holding the lock. */
async function refreshOrKeep(input: SessionRefresh, current: LoginCacheFile): Promise<RefreshOutcome> {
  const { ctx } = input;
  const baseUrl = sessionSigninEndpoint({ env: ctx.env, sections: input.config.sections, profile: input.profile, signInRegion: current.signInRegion });
  if (baseUrl === undefined) {
    const error = new CliError('REGION_REQUIRED', `Cannot tell which sign-in endpoint refreshes profile "${input.profile}": the cache file has no signInRegion and no endpoint or region is configured.`, ExitCode.Usage);
    return keepUnlessExpired(input, current, error.message, error);
  }
  let next: LoginCacheFile;
  try {
    const token = await redeemRefreshToken({ fetch: ctx.fetch, baseUrl, cache: current, now: ctx.now(), loginCommand: loginCommandFor(input.profile) });
    next = cacheAfterRefresh(current, token, ctx.now());
  } catch (error) {
    if (error instanceof CliError && SESSION_OVER.has(error.code)) throw sessionOver(error, input.profile);
    return keepUnlessExpired(input, current, (error as Error).message, error);
  }
  // The old refresh token is spent: failing to store the new one must not pass silently.
  await writeLoginCache(input.cachePath, next).catch((error: unknown) => {
    throw new CliError('CACHE_WRITE_FAILED', `Refreshed the credentials of profile "${input.profile}" but could not save them to ${input.cachePath}: ${(error as Error).message}`, ExitCode.Failure, { cause: error });
  });
  return { cache: next, refreshed: true };
}

function keepUnlessExpired(input: SessionRefresh, current: LoginCacheFile, why: string, cause: unknown): RefreshOutcome {
  if (isFresh(current, input.ctx.now())) return { cache: current, refreshed: false };
  if (hasExpired(current, input.ctx.now())) {
    if (cause instanceof CliError) throw cause;
    throw new CliError('REFRESH_FAILED', `Could not refresh the credentials of profile "${input.profile}" (they expired at ${current.accessToken.expiresAt}): ${why}`, ExitCode.Failure, { cause });
  }
  input.warn(`Could not refresh the credentials of profile "${input.profile}": ${why}\n  Using the cached ones, valid until ${current.accessToken.expiresAt}.`);
  return { cache: current, refreshed: false };
}

function sessionOver(error: CliError, profile: string): CliError {
  if (error.code !== 'TOKEN_EXPIRED') return error; // its message already says why and what to run
  return new CliError('TOKEN_EXPIRED', `Your session has ended; run \`${loginCommandFor(profile)}\` to sign in again.`, ExitCode.Refused, { cause: error });
}
