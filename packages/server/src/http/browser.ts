// The browser cookie and CSRF tokens of the console. One cookie identifies the browser; its
// console sessions (up to five) hang off its digest, so stealing a session id alone gives nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken, sha256Base64url } from '@keyless/protocol';

export interface BrowserIdentity {
  /** The cookie's secret; never stored server-side. */
  secret: string;
  digest: string;
  isNew: boolean;
}

const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

export function browserCookieName(secure: boolean): string {
  // `__Host-` pins the cookie to this origin, path /, Secure (RFC 6265bis §4.1.3.2).
  return secure ? '__Host-keyless-browser' : 'keyless-browser';
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The browser's identity, creating (and setting) a cookie when it has none. */
export function browserOf(request: FastifyRequest, reply: FastifyReply, secure: boolean): BrowserIdentity {
  const name = browserCookieName(secure);
  const existing = readCookie(request.headers.cookie, name);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return { secret: existing, digest: sha256Base64url(existing), isNew: false };
  const secret = randomToken(32);
  reply.header(
    'set-cookie',
    `${name}=${secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure ? '; Secure' : ''}`,
  );
  return { secret, digest: sha256Base64url(secret), isNew: true };
}

/** Synchroniser token bound to the browser cookie: a page from another site cannot know it. */
export const csrfTokenFor = (csrfKey: Buffer, browser: BrowserIdentity): string =>
  createHmac('sha256', csrfKey).update(browser.secret).digest('base64url');

export function csrfValid(csrfKey: Buffer, browser: BrowserIdentity, submitted: unknown): boolean {
  if (browser.isNew || typeof submitted !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(csrfKey, browser));
  const actual = Buffer.from(submitted);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
