// Session fixation (issue 14; OWASP Session Management Cheat Sheet, "Renew the Session ID After Any
// Privilege Level Change"): every sign-in step that succeeds — a password, an MFA code, the choice
// of a session to end, a federated role — gives the browser a new cookie value, and the browser's
// sessions move to it. Whoever knew the value the browser had before (planted it, read it) holds
// nothing afterwards; the HTTP layer sends the new value (http/browser.ts).
import type { Store } from '../store/store.ts';

/** The browser a sign-in step comes from, and the digest of the new cookie it gets if the step succeeds. */
export interface RenewableBrowser {
  digest: string;
  renewedDigest: string;
}

/**
 * Two tabs finishing a sign-in step with the same cookie within this long: the first renews it,
 * the second is told to sign in again. Later, renewing the old value again is harmless (it holds
 * nothing; the new value is random), so a browser whose answer was lost is not stuck.
 */
export const RENEWAL_RACE_MS = 30_000;

/** Moves the browser's sessions to its renewed cookie: the digest to go on with, or undefined when another tab just renewed it. */
export async function renewBrowser(deps: { store: Store; clock: { now(): number } }, browser: RenewableBrowser): Promise<string | undefined> {
  const renewed = await deps.store.transaction((tx) => tx.consoleSessions.renewBrowser(browser.digest, browser.renewedDigest, deps.clock.now(), RENEWAL_RACE_MS));
  return renewed ? browser.renewedDigest : undefined;
}
