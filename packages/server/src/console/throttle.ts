// Brute-force throttling of password and TOTP guesses: per principal (or, for names that match
// nobody, per name typed — so a refusal never says whether a user exists) and per source address,
// in fixed windows. Each attempt is reserved with one atomic increment *before* argon2 or the TOTP
// check runs, so 20 parallel guesses get exactly MAX_FAILURES_PER_PRINCIPAL checks, not 20.
import type { Store } from '../store/store.ts';

export const MAX_FAILURES_PER_PRINCIPAL = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const THROTTLE_WINDOW_MS = 15 * 60_000;

export interface ThrottleKey {
  key: string;
  limit: number;
}

export const addressKey = (sourceIp: string): ThrottleKey => ({ key: `ip:${sourceIp}`, limit: MAX_FAILURES_PER_ADDRESS });
export const passwordKey = (principalId: string): ThrottleKey => ({ key: `password:${principalId}`, limit: MAX_FAILURES_PER_PRINCIPAL });
/** A sign-in name that matches no principal still gets its own counter, like a real one. */
export const unknownNameKey = (typed: string): ThrottleKey => ({ key: `name:${typed.trim().toLowerCase().slice(0, 300)}`, limit: MAX_FAILURES_PER_PRINCIPAL });
export const totpKey = (principalId: string): ThrottleKey => ({ key: `totp:${principalId}`, limit: MAX_FAILURES_PER_PRINCIPAL });

export type Reservation =
  /** `succeeded()` gives the attempt back: only failures stay counted. */
  | { ok: true; succeeded(): Promise<void> }
  | { ok: false; retryAfterMs: number };

/**
 * Counts one attempt against every key. When one is over its limit the attempt is refused and
 * taken back from all of them, so refused attempts never push a window further.
 */
export async function reserveAttempt(store: Pick<Store, 'read'>, keys: ThrottleKey[], now: number): Promise<Reservation> {
  const counted: Array<{ key: string; windowStart: number }> = [];
  const undoAll = () => Promise.all(counted.map(({ key, windowStart }) => store.read((rs) => rs.authThrottle.undo(key, windowStart)))).then(() => {});
  for (const { key, limit } of keys) {
    const { attempts, windowStart } = await store.read((rs) => rs.authThrottle.hit(key, now, THROTTLE_WINDOW_MS));
    counted.push({ key, windowStart });
    if (attempts > limit) {
      await undoAll();
      return { ok: false, retryAfterMs: windowStart + THROTTLE_WINDOW_MS - now };
    }
  }
  return { ok: true, succeeded: undoAll };
}

/** "Too many attempts. Try again in 12 minutes." — the same for every reason and every name. */
export function tooManyAttemptsMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}
