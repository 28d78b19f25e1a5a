// A sign-in that has passed its password but is not a session yet: waiting for the TOTP code, or
// for the user to pick which of five sessions to end. It travels in the form as a sealed value
// (AES-GCM, purpose-bound), tied to this browser and five minutes, so the server keeps no state
// between the steps and a copied form is useless in another browser.
import type { Sealer } from '../crypto/sealer.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export const PENDING_SIGN_IN_MS = 5 * 60_000;

export type PendingStage = 'mfa' | 'choose';

export interface PendingSignIn {
  principalId: string;
  browserDigest: string;
  /** Whether MFA was passed on the way here. */
  mfa: boolean;
  expiresAt: number;
}


export function sealPendingSignIn(sealer: Sealer, stage: PendingStage, pending: PendingSignIn): string {
  return sealer.seal(JSON.stringify({ p: pending.principalId, b: pending.browserDigest, m: pending.mfa, e: pending.expiresAt }), purposes.pendingSignIn(stage));
}

/** The pending sign-in, or undefined when the value is forged, for another stage or browser, or expired. */
export function openPendingSignIn(sealer: Sealer, stage: PendingStage, sealed: unknown, browserDigest: string, now: number): PendingSignIn | undefined {
  if (typeof sealed !== 'string' || sealed.length > 1024) return undefined;
  let value: { p?: unknown; b?: unknown; m?: unknown; e?: unknown };
  try {
    value = JSON.parse(sealer.open(sealed, purposes.pendingSignIn(stage))) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value.p !== 'string' || value.b !== browserDigest || typeof value.m !== 'boolean' || typeof value.e !== 'number' || value.e <= now) return undefined;
  return { principalId: value.p, browserDigest, mfa: value.m, expiresAt: value.e };
}
