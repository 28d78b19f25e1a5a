// The DPoP jti replay store (RFC 9449 §11.1), in the database so every instance shares it.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export class DpopJtiRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a jti digest; false when it was already there, i.e. the proof is a replay. */
  async remember(digest: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto('dpop_jtis')
      .values({ digest, expires_at: expiresAt })
      .onConflict((oc) => oc.column('digest').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async purgeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('dpop_jtis').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
