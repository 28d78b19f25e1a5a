// What STS's operations need, built once in compose.ts: storage, time, randomness, the sealer and
// audit trail like every other step; the authorizer (the caller's own policies); the compiled
// policy cache (trust policies are compiled once per document); and the doors to identity
// providers that console federation uses too (discovery and key sets).
import type { JWTVerifyGetKey } from 'jose';
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { Discovery } from '../federation/discovery.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { CompiledPolicies } from '../iam/compiled-policies.ts';
import type { Store } from '../store/store.ts';
import type { AccountDirectory } from './account-directory.ts';

export interface StsDeps {
  store: Store;
  clock: Clock;
  random: Random;
  sealer: Sealer;
  audit: AuditTrail;
  authorizer: Authorizer;
  compiled: CompiledPolicies;
  /** Roles and providers by account, kept while the account's policy generation stands still. */
  directory: AccountDirectory;
  discovery: Discovery;
  keySetFor(jwksUri: string): JWTVerifyGetKey;
  /** The region Keyless answers for: where an unsigned request's events are recorded. */
  region: string;
}
