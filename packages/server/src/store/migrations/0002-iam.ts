// Issue 4: IAM (customer-managed policies and their versions, inline policies, groups, roles,
// attachments, tags), AWS Organizations (OUs, member accounts, SCPs and where they are attached,
// centralised root access management), and the policy generations the authorizer's cache is
// keyed by. AWS-managed policies are constants of the policy engine, never rows.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { columnTypes, type Dialect } from './column-types.ts';

export const iam = (dialect: Dialect): Migration => {
  const { time } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      // Customer-managed policies. Versions are immutable; `next_version` numbers the next one
      // (AWS never reuses a version id), `default_version_id` is the one that is enforced.
      await db.schema
        .createTable('iam_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('default_version_id', 'text', (c) => c.notNull())
        .addColumn('next_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      // IAM names are unique within an account whatever their case.
      await sql`create unique index iam_policies_name on iam_policies (account_id, lower(name))`.execute(db);
      await db.schema
        .createTable('iam_policy_versions')
        .addColumn('policy_id', 'text', (c) => c.notNull().references('iam_policies.id'))
        .addColumn('version_id', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_policy_versions_pk', ['policy_id', 'version_id'])
        .execute();

      await db.schema
        .createTable('iam_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await sql`create unique index iam_groups_name on iam_groups (account_id, lower(name))`.execute(db);
      await db.schema
        .createTable('iam_group_members')
        .addColumn('group_id', 'text', (c) => c.notNull().references('iam_groups.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('principals.id'))
        .addColumn('added_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_group_members_pk', ['group_id', 'user_id'])
        .execute();
      await db.schema.createIndex('iam_group_members_user').on('iam_group_members').column('user_id').execute();

      await db.schema
        .createTable('iam_roles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('trust_policy', 'text', (c) => c.notNull())
        .addColumn('max_session_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await sql`create unique index iam_roles_name on iam_roles (account_id, lower(name))`.execute(db);

      // Inline policies and managed-policy attachments of a user (AIDA…), group (AGPA…) or role
      // (AROA…): owner ids are globally unique, so one table each serves all three.
      await db.schema
        .createTable('iam_inline_policies')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('owner_type', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_inline_policies_pk', ['owner_id', 'name'])
        .execute();
      await db.schema
        .createTable('iam_attachments')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('owner_type', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('policy_arn', 'text', (c) => c.notNull())
        .addColumn('attached_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_attachments_pk', ['owner_id', 'policy_arn'])
        .execute();
      await db.schema.createIndex('iam_attachments_policy').on('iam_attachments').columns(['policy_arn', 'account_id']).execute();

      // Tags of users and roles (aws:PrincipalTag/*), and of customer-managed policies.
      await db.schema
        .createTable('iam_tags')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_tags_pk', ['owner_id', 'key'])
        .execute();

      // One counter per account (`account:{id}`) and one for all organizations (`org`), bumped by
      // every transaction that changes what a decision depends on. The authorizer reads them on
      // each check, so a cached policy set is never used after a change on any instance.
      await db.schema
        .createTable('policy_generations')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('org_organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('management_account_id', 'text', (c) => c.notNull().unique().references('accounts.id'))
        .addColumn('root_id', 'text', (c) => c.notNull().unique())
        .addColumn('root_access_management', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('org_units')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id'))
        .addColumn('parent_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('org_units_parent_name', ['parent_id', 'name'])
        .execute();
      await db.schema.createIndex('org_units_organization').on('org_units').column('organization_id').execute();
      await db.schema
        .createTable('org_accounts')
        .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
        .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id'))
        .addColumn('parent_id', 'text', (c) => c.notNull())
        .addColumn('joined_at', time, (c) => c.notNull())
        .addColumn('root_credentials_removed_at', time)
        .execute();
      await db.schema
        .createTable('org_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addUniqueConstraint('org_policies_name', ['organization_id', 'name'])
        .execute();
      // policy_id is `p-FullAWSAccess` (AWS-managed, not a row) or an org_policies id.
      await db.schema
        .createTable('org_policy_attachments')
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('org_organizations.id'))
        .addColumn('attached_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('org_policy_attachments_pk', ['policy_id', 'target_id'])
        .execute();
      await db.schema.createIndex('org_policy_attachments_target').on('org_policy_attachments').column('target_id').execute();
    },
  };
};
