// Virtual MFA devices: enrolment from the console (a new secret, shown as a QR code and as text,
// confirmed by one code) and the code check at sign-in. The secret is sealed with a purpose bound
// to the principal, so a sealed secret copied onto another principal's row does not open; it is
// never logged and never shown again after enrolment. Enrolment is an IAM change and is recorded
// as IAM records it (CreateVirtualMFADevice, then EnableMFADevice), in the change's transaction.
import { iamChange } from '../audit/events/iam-change.ts';
import { mfaSerialOf, userParameters, userResource, type AuditedBy, type IamChange } from '../audit/iam-events.ts';
import type { AuditTrail } from '../audit/trail.ts';
import { base32Decode, base32Encode } from '../crypto/base32.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import { matchTotp, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_SECRET_BYTES } from '../crypto/totp.ts';
import type { Principal, Store } from '../store/store.ts';
import { addressKey, reserveAttempt, tooManyAttemptsMessage, totpKey } from './throttle.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export interface MfaDeps {
  store: Store;
  clock: Clock;
  random: Random;
  sealer: Sealer;
  audit: AuditTrail;
}

export const MFA_ISSUER = 'Keyless';

export type MfaStatus =
  | { state: 'none' }
  | { state: 'pending'; secret: string; otpauthUri: string }
  | { state: 'enabled'; enabledAt: number };

/** What the console shows for a principal: nothing yet, an enrolment waiting for its code, or on. */
export async function mfaStatusOf(deps: MfaDeps, principal: Principal): Promise<MfaStatus> {
  const device = await deps.store.read((rs) => rs.mfaDevices.find(principal.id));
  if (!device) return { state: 'none' };
  if (device.enabled_at !== null) return { state: 'enabled', enabledAt: device.enabled_at };
  const secret = deps.sealer.open(device.secret_sealed, purposes.mfaTotpSecret(principal.id));
  return { state: 'pending', secret, otpauthUri: otpauthUri(principal, secret) };
}

/** IAM's record of a change to a principal's virtual MFA device. */
const mfaChange = (principal: Principal, change: Omit<IamChange, 'accountId' | 'resources'>): IamChange => ({
  ...change,
  accountId: principal.account_id,
  resources: userResource(principal),
});

/** A new secret for a principal without an enabled device; false when it has one. */
export async function startMfaEnrolment(deps: MfaDeps, principal: Principal, by: AuditedBy): Promise<boolean> {
  const secret = base32Encode(deps.random.bytes(TOTP_SECRET_BYTES));
  const serialNumber = mfaSerialOf(principal);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const started = await tx.mfaDevices.startEnrolment(principal.id, deps.sealer.seal(secret, purposes.mfaTotpSecret(principal.id)), now);
    if (started) {
      const change = {
        eventName: 'CreateVirtualMFADevice',
        requestParameters: { path: '/', virtualMFADeviceName: serialNumber.slice(serialNumber.lastIndexOf('/') + 1) },
        responseElements: { virtualMFADevice: { serialNumber } },
      };
      await deps.audit.record(tx, iamChange(by, mfaChange(principal, change), now));
    }
    return started;
  });
}

export type EnrolmentResult = { ok: true } | { ok: false; status: 400 | 401 | 409 | 429; message: string };

/**
 * Enables the pending device when `code` is one of its current codes (throttled like sign-in).
 * A wrong code is recorded as a failed EnableMFADevice; like IAM, the record never holds a code.
 */
export async function confirmMfaEnrolment(deps: MfaDeps, principal: Principal, code: string, by: AuditedBy): Promise<EnrolmentResult> {
  const now = deps.clock.now();
  const device = await deps.store.read((rs) => rs.mfaDevices.find(principal.id));
  if (!device) return { ok: false, status: 409, message: 'Start the set-up again: no MFA device is waiting to be confirmed.' };
  if (device.enabled_at !== null) return { ok: false, status: 409, message: 'MFA is already on for this user.' };
  const reservation = await reserveAttempt(deps.store, [addressKey(by.context.sourceIp), totpKey(principal.id)], now);
  if (!reservation.ok) return { ok: false, status: 429, message: tooManyAttemptsMessage(reservation.retryAfterMs) };
  const enable = (outcome: Pick<IamChange, 'success' | 'errorCode' | 'errorMessage'>) =>
    mfaChange(principal, { eventName: 'EnableMFADevice', requestParameters: { ...userParameters(principal), serialNumber: mfaSerialOf(principal) }, ...outcome });
  const step = matchTotp(secretOf(deps, principal.id, device.secret_sealed), code, now);
  if (step === undefined) {
    const errorMessage = 'Authentication code for device is not valid.';
    await deps.store.transaction((tx) => deps.audit.record(tx, iamChange(by, enable({ success: false, errorCode: 'InvalidAuthenticationCodeException', errorMessage }), now)));
    return { ok: false, status: 401, message: 'That code is not correct. Check that the app shows Keyless and enter the code it shows now.' };
  }
  const enabled = await deps.store.transaction(async (tx) => {
    if (!(await tx.mfaDevices.enable(principal.id, device.secret_sealed, step, now))) return false;
    await deps.audit.record(tx, iamChange(by, enable({}), now));
    return true;
  });
  if (!enabled) return { ok: false, status: 409, message: 'The set-up was restarted in another tab. Use the QR code shown now.' };
  await reservation.succeeded();
  return { ok: true };
}

/** Checks a sign-in code and spends its time step; the caller has reserved the attempt. */
export async function checkTotpCode(deps: Pick<MfaDeps, 'store' | 'sealer'>, principalId: string, code: string, now: number): Promise<'ok' | 'wrong' | 'no-device'> {
  const device = await deps.store.read((rs) => rs.mfaDevices.find(principalId));
  if (device?.enabled_at == null) return 'no-device';
  const step = matchTotp(secretOf(deps, principalId, device.secret_sealed), code, now);
  // A code already used (this step or an earlier one) is refused like a wrong one (RFC 6238 §5.2).
  return step !== undefined && (await deps.store.read((rs) => rs.mfaDevices.useStep(principalId, step))) ? 'ok' : 'wrong';
}

function secretOf(deps: Pick<MfaDeps, 'sealer'>, principalId: string, sealed: string): Buffer {
  const secret = base32Decode(deps.sealer.open(sealed, purposes.mfaTotpSecret(principalId)));
  if (!secret) throw new Error('stored MFA secret is not base32');
  return secret;
}

/**
 * The Key URI authenticator apps scan: otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…
 * The account is "alice@111111111111" or "root@111111111111", as AWS labels virtual devices.
 */
export function otpauthUri(principal: Pick<Principal, 'kind' | 'name' | 'account_id'>, secret: string): string {
  const account = `${principal.kind === 'root' ? 'root' : principal.name}@${principal.account_id}`;
  const query = new URLSearchParams({ secret, issuer: MFA_ISSUER, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_PERIOD_SECONDS) });
  return `otpauth://totp/${encodeURIComponent(MFA_ISSUER)}:${encodeURIComponent(account)}?${query}`;
}
