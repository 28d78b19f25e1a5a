// Between the callback and the user's pick, the sign-in travels in the picker's form as a sealed
// value (AES-GCM, purpose-bound), tied to this browser and five minutes, like a pending password
// sign-in (console/pending-sign-in.ts): the server keeps no state, a copied form is useless
// elsewhere, and the claims cannot be edited on the way.
import type { Sealer } from '../crypto/sealer.ts';
import type { ConditionClaims } from './provider-identity.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export const ROLE_CHOICE_MS = 5 * 60_000;

export interface RoleChoice {
  providerId: string;
  claims: ConditionClaims;
  /** The roles the claims qualified for at the callback: the only ones the form may pick. */
  roles: ReadonlyArray<{ id: string; name: string }>;
  browserDigest: string;
  returnTo?: string;
  expiresAt: number;
  /** Set once the user picked, when the browser's five sessions make them choose one to end first. */
  chosenRoleId?: string;
}

export const sealRoleChoice = (sealer: Sealer, choice: RoleChoice): string => sealer.seal(JSON.stringify(choice), purposes.federationRoleChoice);

/** The choice, or undefined when the value is forged, from another browser, or expired. */
export function openRoleChoice(sealer: Sealer, sealed: unknown, browserDigest: string, now: number): RoleChoice | undefined {
  if (typeof sealed !== 'string' || sealed.length > 12 * 1024) return undefined;
  let choice: RoleChoice;
  try {
    choice = JSON.parse(sealer.open(sealed, purposes.federationRoleChoice)) as RoleChoice;
  } catch {
    return undefined;
  }
  return choice.browserDigest === browserDigest && choice.expiresAt > now ? choice : undefined;
}
