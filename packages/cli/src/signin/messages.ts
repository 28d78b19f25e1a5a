// What to tell a person for each sign-in API error. The code, not the server's message, is the
// contract (PROTOCOL.md §2: "Clients show their own text for the three AccessDenied codes").
import { ExitCode } from '../ui/errors.ts';

/** The error a sign-in endpoint answered with, as sent. */
export interface SigninErrorBody {
  status: number;
  type: string | undefined;
  code: string | undefined;
  message: string | undefined;
}

/**
 * `loginCommand` is what the person should run to sign in again: `keyless login --profile dev`
 * when a profile's refresh failed.
 */
export function signinErrorMessage(error: SigninErrorBody, loginCommand = 'keyless login'): { message: string; exitCode: ExitCode } {
  const again = `Run \`${loginCommand}\` to sign in again.`;
  const detail = error.message ? ` (${error.message})` : '';
  switch (error.code) {
    case 'TOKEN_EXPIRED':
      return refused(`Your session has expired. ${again}`);
    case 'AUTHCODE_EXPIRED':
      return refused(`The sign-in took too long: the authorization code expired before it was redeemed. ${again}`);
    case 'USER_CREDENTIALS_CHANGED':
      return refused(`Your password changed since you signed in. ${again}`);
    case 'INSUFFICIENT_PERMISSIONS':
      return refused(`You are not allowed to get credentials this way: your identity needs permission for signin:CreateOAuth2Token${detail}.`);
    case 'invalid_grant':
      return refused(`The server refused the authorization code: it was already used, or it was issued for another redirect URI or PKCE verifier${detail}. ${again}`);
    case 'invalid_dpop_proof':
      return refused(`The server rejected the DPoP proof${detail}. Check that this computer's clock is right.`);
    case 'invalid_client':
      return refused(`The server does not accept this client${detail}.`);
    case 'unsupported_grant_type':
    case 'invalid_request':
    case 'INVALID_REQUEST':
      if (error.type === 'TooManyRequestsError' || error.status === 429) return tooMany();
      return { message: `The server rejected the request as invalid${detail}.`, exitCode: ExitCode.Failure };
    case 'server_error':
      return { message: `The sign-in server failed${detail}. Try again in a moment.`, exitCode: ExitCode.Failure };
  }
  if (error.type === 'TooManyRequestsError' || error.status === 429) return tooMany();
  if (error.type === 'AccessDeniedException') return refused(`Access denied${detail}. ${again}`);
  const what = [`HTTP ${error.status}`, error.type, error.code].filter(Boolean).join(' ');
  return { message: `The sign-in endpoint answered ${what}${detail}.`, exitCode: ExitCode.Failure };
}

const refused = (message: string) => ({ message, exitCode: ExitCode.Refused });
const tooMany = () => ({ message: 'The sign-in server is rate limiting requests. Wait a moment and try again.', exitCode: ExitCode.Failure });
