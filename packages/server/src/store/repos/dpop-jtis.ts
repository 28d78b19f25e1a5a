// The DPoP jti replay store (RFC 9449 §11.1), in the database so every instance shares it.
import type { Kysely } from 'kysely';
import { dialectOf, FixedStatement } from '../fixed-sql.ts';
import type { Database } from '../schema.ts';

// On every token request: fixed text, no query builder (fixed-sql.ts).
const REMEMBER = new FixedStatement('insert into dpop_jtis (digest, expires_at) values (?, ?) on conflict (digest) do nothing');

export class DpopJtiRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a jti digest; false when it was already there, i.e. the proof is a replay. */
  async remember(digest: string, expiresAt: number): Promise<boolean> {
    const result = await REMEMBER.run(this.db, dialectOf(this.db), [digest, expiresAt]);
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  async purgeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('dpop_jtis').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
