// The cross-device flow, `keyless login --remote` (PROTOCOL.md §1): for SSH sessions, containers
// and machines without a browser. New DPoP key and PKCE pair, the authorize URL printed for the
// user to open on any device, then the verification code pasted back here — decoded, its state
// checked, and redeemed like a same-device code but with the cross-device client id and the
// server's confirmation page as redirect URI. A bad paste gets a clear message and another try.
import { randomUUID } from 'node:crypto';
import { codeChallengeOf, createCodeVerifier, CONFIRMATION_PATH, CROSS_DEVICE_CLIENT_ID, decodeVerificationCode, newDpopKey } from '@keyless/protocol';
import type { CliContext, LineReader } from '../context.ts';
import { cancelledError, CliError, ExitCode } from '../ui/errors.ts';
import type { Output } from '../ui/output.ts';
import { buildAuthorizeUrl } from './authorize-url.ts';
import { redeemAuthorizationCode } from './redeem-code.ts';
import type { SameDeviceLogin } from './same-device.ts';

/** Pastes allowed before giving up: enough for a slip or two, not a guessing loop. */
export const MAX_PASTE_ATTEMPTS = 3;
export const VERIFICATION_PROMPT = 'Verification code: ';

export type CrossDeviceLogin = SameDeviceLogin;

/** Why a pasted code was not redeemed, and what to do; the user gets another try. */
type PasteProblem = { retry: string };

export async function crossDeviceLogin(input: {
  ctx: Pick<CliContext, 'fetch' | 'now' | 'openLineReader' | 'untilInterrupted'>;
  out: Output;
  baseUrl: string;
}): Promise<CrossDeviceLogin> {
  const { ctx, out } = input;
  const clientId = CROSS_DEVICE_CLIENT_ID;
  const redirectUri = `${input.baseUrl}${CONFIRMATION_PATH}`;
  const dpopKey = newDpopKey();
  const codeVerifier = createCodeVerifier();
  const state = randomUUID();
  const url = buildAuthorizeUrl({ baseUrl: input.baseUrl, clientId, state, codeChallenge: codeChallengeOf(codeVerifier), redirectUri });

  // SIGINT (Ctrl-C, or `kill -INT` when stdin is a pipe) cancels; the end of stdin is a failure.
  // Listening starts before the URL is printed, so an interrupt that follows it is never missed.
  const waiting = new AbortController();
  const interrupted = ctx.untilInterrupted(waiting.signal).then((): never => {
    throw cancelledError();
  });
  interrupted.catch(() => {});
  out.say('Open this URL in a browser on any device (your laptop, your phone) and sign in:');
  out.say(`\n  ${url}\n`);
  out.say('The browser then shows a verification code. Copy it and paste it here.');

  const reader = ctx.openLineReader();
  try {
    for (let attempt = 1; ; attempt++) {
      const line = await Promise.race([reader.read(VERIFICATION_PROMPT), interrupted]);
      if (line === undefined) {
        throw new CliError('VERIFICATION_CODE_MISSING', 'No verification code was entered: the input ended before a line was read. Run `keyless login --remote` again, at a terminal or with the code on stdin.', ExitCode.Failure);
      }
      const result = await redeemPasted(line, { ...input, clientId, redirectUri, state, codeVerifier, dpopKey });
      if (!('retry' in result)) return result;
      if (attempt >= MAX_PASTE_ATTEMPTS) {
        throw new CliError('VERIFICATION_CODE_INVALID', `${result.retry} Giving up after ${MAX_PASTE_ATTEMPTS} tries: run \`keyless login --remote\` again.`, ExitCode.Usage);
      }
      out.say(`${result.retry} Try again (${MAX_PASTE_ATTEMPTS - attempt} ${MAX_PASTE_ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left).`);
    }
  } finally {
    waiting.abort();
    reader.close();
  }
}

async function redeemPasted(
  line: string,
  input: {
    ctx: Pick<CliContext, 'fetch' | 'now'>;
    baseUrl: string;
    clientId: typeof CROSS_DEVICE_CLIENT_ID;
    redirectUri: string;
    state: string;
    codeVerifier: string;
    dpopKey: CrossDeviceLogin['dpopKey'];
  },
): Promise<CrossDeviceLogin | PasteProblem> {
  if (line.trim() === '') return { retry: 'Nothing was pasted.' };
  const decoded = decodeVerificationCode(line);
  if (!decoded) return { retry: 'That is not a verification code: copy the whole code from the browser page (the Copy button helps).' };
  // RFC 6749 §10.12: a code for another sign-in (an old tab, or someone else's) is never redeemed.
  if (decoded.state !== input.state) return { retry: 'That code belongs to another sign-in, perhaps an older tab. Use the page you opened with the URL above.' };
  try {
    const token = await redeemAuthorizationCode({
      fetch: input.ctx.fetch,
      baseUrl: input.baseUrl,
      clientId: input.clientId,
      code: decoded.code,
      codeVerifier: input.codeVerifier,
      redirectUri: input.redirectUri,
      dpopKey: input.dpopKey,
      now: input.ctx.now(),
    });
    return { clientId: input.clientId, token, dpopKey: input.dpopKey, receivedAt: input.ctx.now() };
  } catch (error) {
    // invalid_grant: a code damaged in copying, which the server refuses without spending it, so
    // another paste may work. An expired code (AUTHCODE_EXPIRED) will not get better: stop.
    if (error instanceof CliError && error.code === 'invalid_grant') {
      return { retry: 'The server did not accept that code; it may have been cut short when copying.' };
    }
    throw error;
  }
}
