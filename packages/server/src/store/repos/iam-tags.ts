// Tags of users, roles and customer-managed policies: a user's and a role's become
// aws:PrincipalTag/* in every decision about them.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export type Tags = Record<string, string>;

export class IamTagRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(ownerId: string): Promise<Tags> {
    const rows = await this.db.selectFrom('iam_tags').select(['key', 'value']).where('owner_id', '=', ownerId).orderBy('key').execute();
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  }

  /** Adds tags, replacing the value of a key already there. */
  async put(ownerId: string, tags: Tags): Promise<void> {
    for (const [key, value] of Object.entries(tags)) {
      await this.db
        .insertInto('iam_tags')
        .values({ owner_id: ownerId, key, value })
        .onConflict((oc) => oc.columns(['owner_id', 'key']).doUpdateSet({ value }))
        .execute();
    }
  }

  async remove(ownerId: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('iam_tags').where('owner_id', '=', ownerId).where('key', 'in', keys).execute();
  }
}
