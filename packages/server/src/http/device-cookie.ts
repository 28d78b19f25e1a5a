// The device cookie (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): given to a
// browser when a password sign-in completes, it names the principals that browser has signed in
// as. A password or code guessed from it is counted apart from everyone else's
// (console/throttle.ts), so a stranger's failures cannot lock the user's own browser out. Sealed
// (AES-GCM, purpose-bound): it cannot be forged or edited, and says nothing to whoever reads it.
// It survives sign-out and the browser cookie's renewals; it grants nothing but its own counter.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { purposes } from '../crypto/seal-purposes.ts';
import { randomToken } from '@keyless/protocol';
import type { Sealer } from '../crypto/sealer.ts';
import type { KnownDevice } from '../console/throttle.ts';
import { isSecure, readCookie } from './browser.ts';

const MAX_AGE_SECONDS = 365 * 24 * 3600;
/** The principals remembered, most recent first: enough for the five sessions and a few more. */
const MAX_PRINCIPALS = 10;

interface DeviceCookieContext {
  publicUrl: string;
  sealer: Sealer;
}

const cookieName = (secure: boolean) => (secure ? '__Host-keyless-device' : 'keyless-device');

/** The browser's device cookie, or undefined when it has none (or one this server did not seal). */
export function knownDeviceOf(deps: DeviceCookieContext, request: FastifyRequest): KnownDevice | undefined {
  const sealed = readCookie(request.headers.cookie, cookieName(isSecure(deps)));
  if (!sealed || sealed.length > 2048) return undefined;
  try {
    const value = JSON.parse(deps.sealer.open(sealed, purposes.deviceCookie)) as { d?: unknown; p?: unknown };
    if (typeof value.d !== 'string' || !Array.isArray(value.p) || !value.p.every((id) => typeof id === 'string')) return undefined;
    return { id: value.d, principalIds: value.p as string[] };
  } catch {
    return undefined;
  }
}

/** Adds `principalId` to the browser's device cookie (a new device id when it has none). */
export function rememberDevice(deps: DeviceCookieContext, reply: FastifyReply, device: KnownDevice | undefined, principalId: string): void {
  const principals = [principalId, ...(device?.principalIds ?? []).filter((id) => id !== principalId)].slice(0, MAX_PRINCIPALS);
  const sealed = deps.sealer.seal(JSON.stringify({ d: device?.id ?? randomToken(16), p: principals }), purposes.deviceCookie);
  const secure = isSecure(deps);
  reply.header('set-cookie', `${cookieName(secure)}=${sealed}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SECONDS}${secure ? '; Secure' : ''}`);
}
