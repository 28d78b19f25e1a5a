// What the browser half's routes are given, built once in compose.ts (its own module: the
// console's route files all take it, and the one that registers them is no place to define it).
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { FederationDeps } from '../federation/deps.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { Store } from '../store/store.ts';

export interface ConsoleDeps {
  store: Store;
  clock: Clock;
  random: Random;
  audit: AuditTrail;
  region: string;
  publicUrl: string;
  csrfKey: Buffer;
  /** Seals MFA secrets and the pending sign-ins that travel between sign-in steps. */
  sealer: Sealer;
  /** Asked for signin:AuthorizeOAuth2Access when the user continues (issue 4). */
  authorizer: Authorizer;
  /** Federated sign-in through the configured OpenID providers (issue 3). */
  federation: FederationDeps;
}
