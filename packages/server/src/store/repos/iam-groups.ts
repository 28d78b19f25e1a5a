// IAM groups and their members (IAM users of the same account).
import type { Kysely, Selectable } from 'kysely';
import type { Database, IamGroupsTable } from '../schema.ts';
import type { Principal } from './directory.ts';
import { nameIs, pathStartsWith } from './iam-sql.ts';

export type IamGroup = Selectable<IamGroupsTable>;

export class IamGroupRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(group: IamGroup): Promise<void> {
    await this.db.insertInto('iam_groups').values(group).execute();
  }

  findByName(accountId: string, name: string): Promise<IamGroup | undefined> {
    return this.db.selectFrom('iam_groups').selectAll().where('account_id', '=', accountId).where(nameIs(name)).executeTakeFirst();
  }

  list(filter: { accountId: string; pathPrefix?: string; after?: string; limit: number }): Promise<IamGroup[]> {
    let query = this.db.selectFrom('iam_groups').selectAll().where('account_id', '=', filter.accountId);
    if (filter.pathPrefix) query = query.where(pathStartsWith(filter.pathPrefix));
    if (filter.after !== undefined) query = query.where('name', '>', filter.after);
    return query.orderBy('name').limit(filter.limit).execute();
  }

  /** Adds a member; false when the user already was one. */
  async addMember(groupId: string, userId: string, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('iam_group_members')
      .values({ group_id: groupId, user_id: userId, added_at: now })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('iam_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The group's users, by name. */
  members(groupId: string): Promise<Principal[]> {
    return this.db
      .selectFrom('iam_group_members')
      .innerJoin('principals', 'principals.id', 'iam_group_members.user_id')
      .selectAll('principals')
      .where('iam_group_members.group_id', '=', groupId)
      .orderBy('principals.name')
      .execute();
  }

  /** The groups a user belongs to, by name. */
  groupsOf(userId: string): Promise<IamGroup[]> {
    return this.db
      .selectFrom('iam_group_members')
      .innerJoin('iam_groups', 'iam_groups.id', 'iam_group_members.group_id')
      .selectAll('iam_groups')
      .where('iam_group_members.user_id', '=', userId)
      .orderBy('iam_groups.name')
      .execute();
  }

  async delete(groupId: string): Promise<boolean> {
    await this.db.deleteFrom('iam_group_members').where('group_id', '=', groupId).execute();
    const result = await this.db.deleteFrom('iam_groups').where('id', '=', groupId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
