// AWS Organizations: the organization and its root, OUs, member accounts, SCPs and where each is
// attached, and centralised root access management (the org-level switch and, per member
// account, whether its root credentials were removed).
import type { Kysely, Selectable } from 'kysely';
import type { Database, OrgAccountsTable, OrgOrganizationsTable, OrgPoliciesTable, OrgPolicyAttachmentsTable, OrgUnitsTable } from '../schema.ts';

export type Organization = Selectable<OrgOrganizationsTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type OrgAccount = Selectable<OrgAccountsTable>;
export type OrgPolicy = Selectable<OrgPoliciesTable>;
export type OrgPolicyAttachment = Selectable<OrgPolicyAttachmentsTable>;

export interface OrgMembership {
  organization: Organization;
  account: OrgAccount;
}

export class OrganizationRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(organization: Organization): Promise<void> {
    await this.db.insertInto('org_organizations').values(organization).execute();
  }

  find(id: string): Promise<Organization | undefined> {
    return this.db.selectFrom('org_organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByRoot(rootId: string): Promise<Organization | undefined> {
    return this.db.selectFrom('org_organizations').selectAll().where('root_id', '=', rootId).executeTakeFirst();
  }

  list(): Promise<Organization[]> {
    return this.db.selectFrom('org_organizations').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  findByManagementAccount(accountId: string): Promise<Organization | undefined> {
    return this.db.selectFrom('org_organizations').selectAll().where('management_account_id', '=', accountId).executeTakeFirst();
  }

  /** The organization an account belongs to, and its place there; undefined outside any. */
  async membership(accountId: string): Promise<OrgMembership | undefined> {
    const account = await this.db.selectFrom('org_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!account) return undefined;
    const organization = await this.find(account.organization_id);
    return organization && { organization, account };
  }

  async setRootAccessManagement(organizationId: string, enabled: boolean): Promise<boolean> {
    const result = await this.db.updateTable('org_organizations').set({ root_access_management: enabled ? 1 : 0 }).where('id', '=', organizationId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async createUnit(unit: OrgUnit): Promise<void> {
    await this.db.insertInto('org_units').values(unit).execute();
  }

  findUnit(id: string): Promise<OrgUnit | undefined> {
    return this.db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listUnits(organizationId: string): Promise<OrgUnit[]> {
    return this.db.selectFrom('org_units').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
  }

  async deleteUnit(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('org_units').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async addAccount(account: OrgAccount): Promise<void> {
    await this.db.insertInto('org_accounts').values(account).execute();
  }

  async moveAccount(accountId: string, parentId: string): Promise<boolean> {
    const result = await this.db.updateTable('org_accounts').set({ parent_id: parentId }).where('account_id', '=', accountId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async removeAccount(accountId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('org_accounts').where('account_id', '=', accountId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  listAccounts(organizationId: string): Promise<OrgAccount[]> {
    return this.db.selectFrom('org_accounts').selectAll().where('organization_id', '=', organizationId).orderBy('joined_at').orderBy('account_id').execute();
  }

  /** Marks a member's root credentials removed (`at`) or restored (null). */
  async setRootCredentialsRemoved(accountId: string, at: number | null): Promise<boolean> {
    const result = await this.db.updateTable('org_accounts').set({ root_credentials_removed_at: at }).where('account_id', '=', accountId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async createPolicy(policy: OrgPolicy): Promise<void> {
    await this.db.insertInto('org_policies').values(policy).execute();
  }

  findPolicy(id: string): Promise<OrgPolicy | undefined> {
    return this.db.selectFrom('org_policies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findPolicyByName(organizationId: string, name: string): Promise<OrgPolicy | undefined> {
    return this.db.selectFrom('org_policies').selectAll().where('organization_id', '=', organizationId).where('name', '=', name).executeTakeFirst();
  }

  listPolicies(organizationId: string): Promise<OrgPolicy[]> {
    return this.db.selectFrom('org_policies').selectAll().where('organization_id', '=', organizationId).orderBy('name').execute();
  }

  async updatePolicy(id: string, change: { name?: string; description?: string; document?: string }, now: number): Promise<boolean> {
    const result = await this.db.updateTable('org_policies').set({ ...change, updated_at: now }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deletePolicy(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('org_policies').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Attaches an SCP to a root, OU or account; false when it already was. */
  async attach(attachment: OrgPolicyAttachment): Promise<boolean> {
    const result = await this.db
      .insertInto('org_policy_attachments')
      .values(attachment)
      .onConflict((oc) => oc.columns(['policy_id', 'target_id']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async detach(policyId: string, targetId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('org_policy_attachments').where('policy_id', '=', policyId).where('target_id', '=', targetId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The SCPs attached to each of `targetIds`. */
  attachmentsOn(targetIds: readonly string[]): Promise<OrgPolicyAttachment[]> {
    if (targetIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('org_policy_attachments').selectAll().where('target_id', 'in', targetIds).orderBy('attached_at').orderBy('policy_id').execute();
  }

  /** Where one SCP is attached. */
  targetsOf(policyId: string): Promise<OrgPolicyAttachment[]> {
    return this.db.selectFrom('org_policy_attachments').selectAll().where('policy_id', '=', policyId).orderBy('target_id').execute();
  }
}
