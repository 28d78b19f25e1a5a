// Virtual MFA devices (TOTP, RFC 6238): one per principal. Every change is one conditional write,
// so two tabs enrolling, or two sign-ins presenting the same code, have exactly one winner.
import type { Kysely, Selectable } from 'kysely';
import type { Database, MfaDevicesTable } from '../schema.ts';

export type MfaDevice = Selectable<MfaDevicesTable>;

export class MfaDeviceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  find(principalId: string): Promise<MfaDevice | undefined> {
    return this.db.selectFrom('mfa_devices').selectAll().where('principal_id', '=', principalId).executeTakeFirst();
  }

  /**
   * Starts (or restarts) enrolment with a new sealed secret. False when the principal already has
   * an enabled device: that one is only ever removed by an administrator.
   */
  async startEnrolment(principalId: string, secretSealed: string, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('mfa_devices')
      .values({ principal_id: principalId, secret_sealed: secretSealed, created_at: now, enabled_at: null, last_used_step: null })
      .onConflict((oc) =>
        oc
          .column('principal_id')
          .doUpdateSet({ secret_sealed: secretSealed, created_at: now, last_used_step: null })
          .where('mfa_devices.enabled_at', 'is', null),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /**
   * Confirms enrolment: enables the pending device if it still holds the secret the code was
   * checked against (another tab may have restarted enrolment meanwhile), and spends `step`.
   */
  async enable(principalId: string, secretSealed: string, step: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_devices')
      .set({ enabled_at: now, last_used_step: step })
      .where('principal_id', '=', principalId)
      .where('secret_sealed', '=', secretSealed)
      .where('enabled_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Spends the time step of an accepted code: true once per step, and never for a step at or
   * before one already used (RFC 6238 §5.2: a verified OTP must not be accepted again).
   */
  async useStep(principalId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_devices')
      .set({ last_used_step: step })
      .where('principal_id', '=', principalId)
      .where('enabled_at', 'is not', null)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Removes the device, enabled or pending (the admin's recovery when a device is lost). */
  async remove(principalId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('mfa_devices').where('principal_id', '=', principalId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
