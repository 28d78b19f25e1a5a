// IAM roles: name, path, trust policy and maximum session duration.
import type { Kysely, Selectable } from 'kysely';
import type { Database, IamRolesTable } from '../schema.ts';
import { nameIs, pathStartsWith } from './iam-sql.ts';

export type IamRole = Selectable<IamRolesTable>;

export class IamRoleRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(role: IamRole): Promise<void> {
    await this.db.insertInto('iam_roles').values(role).execute();
  }

  findByName(accountId: string, name: string): Promise<IamRole | undefined> {
    return this.db.selectFrom('iam_roles').selectAll().where('account_id', '=', accountId).where(nameIs(name)).executeTakeFirst();
  }

  list(filter: { accountId: string; pathPrefix?: string; after?: string; limit: number }): Promise<IamRole[]> {
    let query = this.db.selectFrom('iam_roles').selectAll().where('account_id', '=', filter.accountId);
    if (filter.pathPrefix) query = query.where(pathStartsWith(filter.pathPrefix));
    if (filter.after !== undefined) query = query.where('name', '>', filter.after);
    return query.orderBy('name').limit(filter.limit).execute();
  }

  async updateTrustPolicy(roleId: string, document: string): Promise<boolean> {
    const result = await this.db.updateTable('iam_roles').set({ trust_policy: document }).where('id', '=', roleId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async update(roleId: string, change: { description?: string | null; max_session_seconds?: number }): Promise<boolean> {
    const result = await this.db.updateTable('iam_roles').set(change).where('id', '=', roleId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(roleId: string): Promise<boolean> {
    await this.db.deleteFrom('iam_tags').where('owner_id', '=', roleId).execute();
    const result = await this.db.deleteFrom('iam_roles').where('id', '=', roleId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
