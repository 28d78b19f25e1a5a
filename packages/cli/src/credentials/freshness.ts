// When cached credentials must be refreshed: the SDKs refresh when fewer than 5 minutes remain
// (PROTOCOL.md §3), so a tool that received them has time to use them.
import type { LoginCacheFile } from '@keyless/protocol';

export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

type Cached = Pick<LoginCacheFile, 'accessToken'>;

/** Milliseconds left; an unreadable `expiresAt` counts as none. */
const remainingMs = (cache: Cached, now: Date): number => {
  const expiresAt = Date.parse(cache.accessToken.expiresAt);
  return Number.isNaN(expiresAt) ? -Infinity : expiresAt - now.getTime();
};

/** Good for at least five more minutes: hand them out as they are. */
export const isFresh = (cache: Cached, now: Date): boolean => remainingMs(cache, now) >= REFRESH_WINDOW_MS;

/** Past `expiresAt`: AWS refuses them. */
export const hasExpired = (cache: Cached, now: Date): boolean => remainingMs(cache, now) <= 0;
