// The idToken of a code redemption names the session's principal in `sub` (PROTOCOL.md §2).
// Clients do not verify its signature — the token came straight from the endpoint over TLS in
// answer to our own PKCE- and DPoP-bound request — they only read it.
import { accountIdOfArn } from '@keyless/protocol';
import { CliError, ExitCode } from '../ui/errors.ts';

export interface LoginIdentity {
  /** The principal ARN: `login_session` in the config, and the cache file's key. */
  loginSession: string;
  accountId: string;
}

export function identityFromIdToken(idToken: string | undefined): LoginIdentity {
  const bad = (why: string) => new CliError('ID_TOKEN_INVALID', `The server's idToken ${why}.`, ExitCode.Unreachable);
  if (!idToken) throw bad('is missing');
  const payload = idToken.split('.')[1];
  if (idToken.split('.').length !== 3 || !payload) throw bad('is not a JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('payload is not JSON');
  }
  const sub = (claims as { sub?: unknown } | null)?.sub;
  if (typeof sub !== 'string' || sub === '') throw bad('has no sub claim');
  // It becomes a line of the config file: no spaces, no control characters.
  if (!/^[\x21-\x7e]{1,2048}$/.test(sub)) throw bad('sub is not a printable ARN');
  const accountId = accountIdOfArn(sub);
  if (!accountId) throw bad(`sub "${sub}" is not an IAM or STS principal ARN`);
  return { loginSession: sub, accountId };
}
