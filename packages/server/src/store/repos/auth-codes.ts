// Authorization codes, stored as digests, consumed by one conditional write.
import type { Kysely, Selectable } from 'kysely';
import type { AuthCodesTable, Database } from '../schema.ts';

export type AuthCode = Selectable<AuthCodesTable>;

export class AuthCodeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(code: AuthCode): Promise<void> {
    await this.db.insertInto('auth_codes').values(code).execute();
  }

  /**
   * Marks the code used and returns it, or undefined when it is unknown or was already used.
   * One `UPDATE … WHERE consumed_at IS NULL RETURNING`: two concurrent redemptions cannot both win.
   */
  consume(digest: string, now: number): Promise<AuthCode | undefined> {
    return this.db
      .updateTable('auth_codes')
      .set({ consumed_at: now })
      .where('digest', '=', digest)
      .where('consumed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  find(digest: string): Promise<AuthCode | undefined> {
    return this.db.selectFrom('auth_codes').selectAll().where('digest', '=', digest).executeTakeFirst();
  }

  async recordRedemption(digest: string, loginSessionId: string): Promise<void> {
    await this.db.updateTable('auth_codes').set({ login_session_id: loginSessionId }).where('digest', '=', digest).execute();
  }

  async purgeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('auth_codes').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
