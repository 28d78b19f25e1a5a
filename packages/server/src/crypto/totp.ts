// TOTP (RFC 6238) over HOTP (RFC 4226): pure functions, the time passed in (STYLE.md §3).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** RFC 6238 §4.1 X: 30 seconds, what every authenticator app assumes. */
  periodSeconds?: number;
  digits?: number;
  algorithm?: TotpAlgorithm;
}

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 R6: at least 128 bits, 160 recommended (the SHA-1 output size). */
export const TOTP_SECRET_BYTES = 20;
/**
 * Steps either side of now that are accepted: RFC 6238 §5.2 recommends at most one step of
 * network delay, which also absorbs a phone clock a little off.
 */
export const TOTP_WINDOW_STEPS = 1;

/** RFC 4226 §5.3: HMAC over the 8-byte counter, dynamic truncation, `digits` decimal digits. */
export function hotp(secret: Uint8Array, counter: number, options: Pick<TotpOptions, 'digits' | 'algorithm'> = {}): string {
  const digits = options.digits ?? TOTP_DIGITS;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(options.algorithm ?? 'sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((now − T0) / X), T0 = 0. */
export const totpStep = (nowMs: number, periodSeconds = TOTP_PERIOD_SECONDS): number => Math.floor(nowMs / 1000 / periodSeconds);

export const totp = (secret: Uint8Array, nowMs: number, options: TotpOptions = {}): string =>
  hotp(secret, totpStep(nowMs, options.periodSeconds), options);

/** A code as typed: digits only, spaces (some apps show "123 456") ignored. */
export const normaliseTotpCode = (typed: string): string => typed.replace(/\s+/g, '');

/**
 * The time step whose code `typed` is, looking `window` steps either side of now, or undefined.
 * The caller must still spend the step (replay protection, RFC 6238 §5.2) before trusting it.
 */
export function matchTotp(secret: Uint8Array, typed: string, nowMs: number, options: TotpOptions & { window?: number } = {}): number | undefined {
  const digits = options.digits ?? TOTP_DIGITS;
  const code = normaliseTotpCode(typed);
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return undefined;
  const now = totpStep(nowMs, options.periodSeconds);
  const window = options.window ?? TOTP_WINDOW_STEPS;
  let matched: number | undefined;
  // Every candidate is computed and compared, so timing does not say which one matched.
  for (let step = now - window; step <= now + window; step++) {
    if (step >= 0 && timingSafeEqual(Buffer.from(hotp(secret, step, options)), Buffer.from(code)) && matched === undefined) matched = step;
  }
  return matched;
}
