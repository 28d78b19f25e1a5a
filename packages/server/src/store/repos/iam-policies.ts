// Customer-managed policies and their versions. Versions are immutable rows; the policy row says
// which one is the default and numbers the next, so each change is one update of one row.
import type { Kysely, Selectable } from 'kysely';
import { nameIs, pathStartsWith } from './iam-sql.ts';
import type { Database, IamPoliciesTable, IamPolicyVersionsTable } from '../schema.ts';

export type IamPolicy = Selectable<IamPoliciesTable>;
export type IamPolicyVersion = Selectable<IamPolicyVersionsTable>;

export class IamPolicyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(policy: IamPolicy, firstVersion: IamPolicyVersion): Promise<void> {
    await this.db.insertInto('iam_policies').values(policy).execute();
    await this.db.insertInto('iam_policy_versions').values(firstVersion).execute();
  }

  findByArn(arn: string): Promise<IamPolicy | undefined> {
    return this.db.selectFrom('iam_policies').selectAll().where('arn', '=', arn).executeTakeFirst();
  }

  /** IAM names are unique whatever their case. */
  findByName(accountId: string, name: string): Promise<IamPolicy | undefined> {
    return this.db
      .selectFrom('iam_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where(nameIs(name))
      .executeTakeFirst();
  }

  /** By name, after `after` (a name: the pagination marker), at most `limit`. */
  list(filter: { accountId: string; pathPrefix?: string; after?: string; limit: number }): Promise<IamPolicy[]> {
    let query = this.db.selectFrom('iam_policies').selectAll().where('account_id', '=', filter.accountId);
    if (filter.pathPrefix) query = query.where(pathStartsWith(filter.pathPrefix));
    if (filter.after !== undefined) query = query.where('name', '>', filter.after);
    return query.orderBy('name').limit(filter.limit).execute();
  }

  versions(policyId: string): Promise<IamPolicyVersion[]> {
    return this.db.selectFrom('iam_policy_versions').selectAll().where('policy_id', '=', policyId).orderBy('created_at').orderBy('version_id').execute();
  }

  findVersion(policyId: string, versionId: string): Promise<IamPolicyVersion | undefined> {
    return this.db.selectFrom('iam_policy_versions').selectAll().where('policy_id', '=', policyId).where('version_id', '=', versionId).executeTakeFirst();
  }

  /**
   * Adds the version numbered `next_version` and moves the counter on, in one conditional update:
   * two writers who both read the same counter cannot both add `vN`. Undefined when they raced.
   */
  async addVersion(policy: IamPolicy, document: string, setAsDefault: boolean, now: number): Promise<IamPolicyVersion | undefined> {
    const versionId = `v${policy.next_version}`;
    const moved = await this.db
      .updateTable('iam_policies')
      .set({ next_version: policy.next_version + 1, updated_at: now, ...(setAsDefault && { default_version_id: versionId }) })
      .where('id', '=', policy.id)
      .where('next_version', '=', policy.next_version)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return undefined;
    const version: IamPolicyVersion = { policy_id: policy.id, version_id: versionId, document, created_at: now };
    await this.db.insertInto('iam_policy_versions').values(version).execute();
    return version;
  }

  async setDefaultVersion(policyId: string, versionId: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('iam_policies').set({ default_version_id: versionId, updated_at: now }).where('id', '=', policyId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes a non-default version; false when it is the default or does not exist. */
  async deleteVersion(policyId: string, versionId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('iam_policy_versions')
      .where('policy_id', '=', policyId)
      .where('version_id', '=', versionId)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('iam_policies').select('id').where('id', '=', policyId).where('default_version_id', '=', versionId))),
      )
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async delete(policyId: string): Promise<boolean> {
    await this.db.deleteFrom('iam_policy_versions').where('policy_id', '=', policyId).execute();
    await this.db.deleteFrom('iam_tags').where('owner_id', '=', policyId).execute();
    const result = await this.db.deleteFrom('iam_policies').where('id', '=', policyId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
