// The same-device flow (PROTOCOL.md §1–2), as its steps: new DPoP key and PKCE pair, loopback
// callback server, authorize URL (printed, and opened unless --no-browser), wait for the
// redirect, redeem the code. Returns the token response and the key that must sign its refreshes.
import { randomUUID, type KeyObject } from 'node:crypto';
import { codeChallengeOf, createCodeVerifier, newDpopKey, SAME_DEVICE_CLIENT_ID, type ClientId, type TokenResponse } from '@keyless/protocol';
import type { CliContext } from '../context.ts';
import { cancelledError } from '../ui/errors.ts';
import type { Output } from '../ui/output.ts';
import { buildAuthorizeUrl } from './authorize-url.ts';
import { startCallbackServer } from './callback-server.ts';
import { redeemAuthorizationCode } from './redeem-code.ts';
import { startWaitingIndicator } from './waiting-indicator.ts';

export const LOGIN_TIMEOUT_MS = 10 * 60_000;

export interface SameDeviceLogin {
  clientId: ClientId;
  token: TokenResponse;
  /** A P-256 key made for this login: the refresh token is bound to it (`cnf.jkt`). */
  dpopKey: KeyObject;
  /** When the token response arrived: the cache file's `expiresAt` counts from here. */
  receivedAt: Date;
}

export async function sameDeviceLogin(input: {
  ctx: Pick<CliContext, 'fetch' | 'openBrowser' | 'now' | 'stderr' | 'untilInterrupted'>;
  out: Output;
  baseUrl: string;
  redirectPort?: number;
  openBrowser: boolean;
  timeoutMs?: number;
  /** Said before waiting, e.g. that `--remote` exists when this looks like an SSH session. */
  hint?: string;
}): Promise<SameDeviceLogin> {
  const { ctx, out } = input;
  const clientId = SAME_DEVICE_CLIENT_ID;
  const dpopKey = newDpopKey();
  const codeVerifier = createCodeVerifier();
  const state = randomUUID();

  // Ctrl-C from here on: nothing has been written yet, and the user is told so. Listening starts
  // before the URL is printed, so an interrupt that follows what is printed is never missed.
  const listening = new AbortController();
  const interrupted = ctx.untilInterrupted(listening.signal).then((): never => {
    throw cancelledError();
  });
  interrupted.catch(() => {});
  const callback = await startCallbackServer({ expectedState: state, port: input.redirectPort }).catch((error: unknown) => {
    listening.abort();
    throw error;
  });
  try {
    const url = buildAuthorizeUrl({ baseUrl: input.baseUrl, clientId, state, codeChallenge: codeChallengeOf(codeVerifier), redirectUri: callback.redirectUri });
    out.say(input.openBrowser ? 'Opening your browser to sign in. If it does not open, open this URL on this computer:' : 'Open this URL in a browser on this computer to sign in:');
    out.say(`\n  ${url}\n`);
    if (input.openBrowser) {
      await ctx.openBrowser(url).catch((error: unknown) => {
        out.warn(`Could not open a browser (${error instanceof Error ? error.message : String(error)}); open the URL above yourself${input.hint ? '' : ', or sign in on another device with `keyless login --remote`'}.`);
      });
    }

    if (input.hint) out.say(input.hint);
    const timeoutMs = input.timeoutMs ?? LOGIN_TIMEOUT_MS;
    const indicator = startWaitingIndicator(ctx.stderr, { message: 'Waiting for the browser sign-in...', timeoutMs, now: ctx.now });
    let code: string;
    try {
      code = await Promise.race([callback.waitForCode(timeoutMs), interrupted]);
    } finally {
      indicator.stop();
    }

    const token = await redeemAuthorizationCode({
      fetch: ctx.fetch,
      baseUrl: input.baseUrl,
      clientId,
      code,
      codeVerifier,
      redirectUri: callback.redirectUri,
      dpopKey,
      now: ctx.now(),
    });
    return { clientId, token, dpopKey, receivedAt: ctx.now() };
  } finally {
    listening.abort();
    await callback.close();
  }
}
