// The browser cookie and CSRF tokens of the console. One cookie identifies the browser; its
// console sessions (up to five) hang off its digest, so stealing a session id alone gives nothing.
//
// Session fixation (issue 14; OWASP Session Management Cheat Sheet, "Renew the Session ID After
// Any Privilege Level Change"): only values this server issued are accepted — each carries a MAC
// under a key derived from the CSRF key, and any other value is ignored and replaced — and every
// sign-in step that succeeds gives the browser a new value, its sessions moving to it
// (console/renew-browser.ts). A value planted before sign-in therefore never holds a session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Base64url } from '@keyless/protocol';

export interface BrowserIdentity {
  /** The cookie's secret; never stored server-side. */
  secret: string;
  digest: string;
  isNew: boolean;
}

/** What issuing and reading the cookie needs: whether it is `Secure`, and the key its MAC derives from. */
export interface BrowserCookieContext {
  publicUrl: string;
  csrfKey: Buffer;
}

const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;
const RANDOM_BYTES = 16;

export function browserCookieName(secure: boolean): string {
  // `__Host-` pins the cookie to this origin, path /, Secure (RFC 6265bis §4.1.3.2).
  return secure ? '__Host-keyless-browser' : 'keyless-browser';
}

export const isSecure = (deps: Pick<BrowserCookieContext, 'publicUrl'>) => deps.publicUrl.startsWith('https:');

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** 16 random bytes and the first 16 of their HMAC: 43 base64url characters, as before. */
const macOf = (csrfKey: Buffer, random: Buffer) => createHmac('sha256', csrfKey).update('keyless-browser-cookie:').update(random).digest().subarray(0, RANDOM_BYTES);

function wasIssued(csrfKey: Buffer, value: string): boolean {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64url');
  return timingSafeEqual(bytes.subarray(RANDOM_BYTES), macOf(csrfKey, bytes.subarray(0, RANDOM_BYTES)));
}

/** A new browser value, not yet sent: `sendBrowserCookie` gives it to the browser. */
export function newBrowser(deps: BrowserCookieContext): BrowserIdentity {
  const random = randomBytes(RANDOM_BYTES);
  const secret = Buffer.concat([random, macOf(deps.csrfKey, random)]).toString('base64url');
  return { secret, digest: sha256Base64url(secret), isNew: true };
}

export function sendBrowserCookie(deps: BrowserCookieContext, reply: FastifyReply, browser: BrowserIdentity): void {
  const secure = isSecure(deps);
  reply.header('set-cookie', `${browserCookieName(secure)}=${browser.secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure ? '; Secure' : ''}`);
}

/** The browser's identity; a browser without a cookie this server issued gets a new one. */
export function browserOf(deps: BrowserCookieContext, request: FastifyRequest, reply: FastifyReply): BrowserIdentity {
  const existing = readCookie(request.headers.cookie, browserCookieName(isSecure(deps)));
  if (existing && wasIssued(deps.csrfKey, existing)) return { secret: existing, digest: sha256Base64url(existing), isNew: false };
  const fresh = newBrowser(deps);
  sendBrowserCookie(deps, reply, fresh);
  return fresh;
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
