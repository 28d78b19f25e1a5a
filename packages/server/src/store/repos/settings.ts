// Signing keys and small installation-wide settings.
import type { Kysely, Selectable } from 'kysely';
import type { Database, SigningKeysTable } from '../schema.ts';

export type SigningKeyRow = Selectable<SigningKeysTable>;

export class SettingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  /** Sets a value only if the key is new; false when another instance got there first. */
  async insertIfAbsent(key: string, value: string): Promise<boolean> {
    const result = await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async insertSigningKey(key: SigningKeyRow): Promise<void> {
    await this.db.insertInto('signing_keys').values(key).execute();
  }

  listSigningKeys(): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
  }
}
