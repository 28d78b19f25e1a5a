// A federated sign-in Keyless refused, in the audit trail (audit/EVENTS.md): a failed
// ConsoleLogin, as for a wrong password, by CloudTrail's WebIdentityUser, in the account that
// registered the provider. The ID token verified but no role admits it: the provider, the client
// id (the token's aud) and the sub are named. The provider's token failed verification: the
// provider alone. No token, code, state, nonce or secret is ever passed here.
import type { RequestContext } from '../request-context.ts';
import type { WebIdentity } from '../audit/identity.ts';
import { consoleLogin } from '../audit/events/console-login.ts';
import type { FederationDeps } from './deps.ts';
import type { FederationError, SignInAttempt } from './errors.ts';

/** OpenID Connect Core §2: `sub` is at most 255 ASCII characters. Anything else is not named. */
const SUBJECT = /^[\x21-\x7e]{1,255}$/;

/** STS's words when a trust policy refuses a web identity; CloudTrail's ConsoleLogin failure carries no errorCode. */
export const NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity';
export const INVALID_TOKEN = 'Invalid identity token';

export function webIdentityOf(attempt: SignInAttempt): WebIdentity {
  const { provider, claims } = attempt;
  const sub = claims?.sub;
  const named = typeof sub === 'string' && SUBJECT.test(sub);
  return { webIdentity: { provider: provider.arn, accountId: provider.account_id, ...(named && { audience: provider.client_id, subject: sub }) } };
}

export async function recordFailedFederatedSignIn(deps: Pick<FederationDeps, 'store' | 'audit' | 'region' | 'clock'>, error: FederationError, context: RequestContext): Promise<void> {
  const { attempt } = error;
  if (!attempt) return;
  const event = consoleLogin({
    actor: webIdentityOf(attempt),
    region: deps.region,
    context,
    now: deps.clock.now(),
    outcome: 'failure',
    mfaUsed: false,
    errorMessage: error.code === 'NoRole' ? NOT_AUTHORIZED : INVALID_TOKEN,
  });
  // The sign-in was refused before anything changed: the event is the only write, a statement of its own.
  await deps.store.read((rs) => deps.audit.record(rs, event));
}
