// What is attached to a user, group or role: inline policies (documents owned by the entity) and
// managed-policy attachments (by ARN, customer- or AWS-managed). Owner ids are AWS unique ids.
import type { Kysely, Selectable } from 'kysely';
import type { Database, IamAttachmentsTable, IamInlinePoliciesTable, IamOwnerType } from '../schema.ts';

export type IamInlinePolicy = Selectable<IamInlinePoliciesTable>;
export type IamAttachment = Selectable<IamAttachmentsTable>;

export class IamPrincipalPolicyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates or replaces the inline policy `name` of its owner. */
  async putInline(policy: IamInlinePolicy): Promise<void> {
    await this.db
      .insertInto('iam_inline_policies')
      .values(policy)
      .onConflict((oc) => oc.columns(['owner_id', 'name']).doUpdateSet({ document: policy.document, updated_at: policy.updated_at }))
      .execute();
  }

  findInline(ownerId: string, name: string): Promise<IamInlinePolicy | undefined> {
    return this.db.selectFrom('iam_inline_policies').selectAll().where('owner_id', '=', ownerId).where('name', '=', name).executeTakeFirst();
  }

  listInline(ownerId: string): Promise<IamInlinePolicy[]> {
    return this.db.selectFrom('iam_inline_policies').selectAll().where('owner_id', '=', ownerId).orderBy('name').execute();
  }

  async deleteInline(ownerId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('iam_inline_policies').where('owner_id', '=', ownerId).where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Attaches a managed policy; false when it already was. */
  async attach(attachment: IamAttachment): Promise<boolean> {
    const result = await this.db
      .insertInto('iam_attachments')
      .values(attachment)
      .onConflict((oc) => oc.columns(['owner_id', 'policy_arn']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async detach(ownerId: string, policyArn: string): Promise<boolean> {
    const result = await this.db.deleteFrom('iam_attachments').where('owner_id', '=', ownerId).where('policy_arn', '=', policyArn).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  listAttached(ownerId: string): Promise<IamAttachment[]> {
    return this.db.selectFrom('iam_attachments').selectAll().where('owner_id', '=', ownerId).orderBy('policy_arn').execute();
  }

  /** The entities of one account a managed policy is attached to. */
  attachmentsOf(policyArn: string, accountId: string): Promise<IamAttachment[]> {
    return this.db
      .selectFrom('iam_attachments')
      .selectAll()
      .where('policy_arn', '=', policyArn)
      .where('account_id', '=', accountId)
      .orderBy('owner_type')
      .orderBy('owner_id')
      .execute();
  }

  /** How many entities of the account each of these policies is attached to (IAM's AttachmentCount). */
  async attachmentCounts(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('iam_attachments')
      .select(['policy_arn', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('account_id', '=', accountId)
      .groupBy('policy_arn')
      .execute();
    return new Map(rows.map((row) => [row.policy_arn, Number(row.n)]));
  }

  /** Removes every inline policy and attachment of an entity being deleted. */
  async deleteAllOf(ownerId: string): Promise<void> {
    await this.db.deleteFrom('iam_inline_policies').where('owner_id', '=', ownerId).execute();
    await this.db.deleteFrom('iam_attachments').where('owner_id', '=', ownerId).execute();
  }
}

export type { IamOwnerType };
