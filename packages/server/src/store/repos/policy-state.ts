// What the policy authorizer reads. On every check: the generation counters of the principal's
// account and of the organizations (one indexed query). Only when they moved — some instance
// changed a policy, an attachment, a membership, a tag or the organization — the principal's
// policies and SCP path are read again (a handful of indexed queries).
import { sql, type Kysely } from 'kysely';
import type { Database, IamOwnerType } from '../schema.ts';
import { dialectOf, FixedStatement } from '../fixed-sql.ts';

// On every refresh: fixed text, no query builder (fixed-sql.ts).
const GENERATIONS = new FixedStatement<{ scope: string; generation: number | string }>('select scope, generation from policy_generations where scope in (?, ?)');

export const ORG_SCOPE = 'org';
export const accountScope = (accountId: string) => `account:${accountId}`;

export interface Generations {
  account: number;
  org: number;
}

export interface AttachedPolicyRow {
  owner_id: string;
  owner_type: IamOwnerType;
  policy_arn: string;
  /** The default version's document; null for AWS-managed policies (the engine has them). */
  document: string | null;
}

export interface InlinePolicyRow {
  owner_id: string;
  owner_type: IamOwnerType;
  name: string;
  document: string;
}

export interface ScpRow {
  target_id: string;
  policy_id: string;
  /** Null for the AWS-managed FullAWSAccess. */
  name: string | null;
  document: string | null;
}

export class PolicyStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Both counters in one indexed read; a scope never written reads as 0. */
  async generations(accountId: string): Promise<Generations> {
    const scope = accountScope(accountId);
    const { rows } = await GENERATIONS.run(this.db, dialectOf(this.db), [scope, ORG_SCOPE]);
    let account = 0;
    let org = 0;
    for (const row of rows) {
      if (row.scope === scope) account = Number(row.generation);
      else org = Number(row.generation);
    }
    return { account, org };
  }

  /** Moves the counters on; call in the transaction that makes the change. */
  async bump(scopes: readonly string[]): Promise<void> {
    for (const scope of new Set(scopes)) {
      await this.db
        .insertInto('policy_generations')
        .values({ scope, generation: 1 })
        .onConflict((oc) => oc.column('scope').doUpdateSet({ generation: sql`policy_generations.generation + 1` }))
        .execute();
    }
  }

  inlineOf(ownerIds: readonly string[]): Promise<InlinePolicyRow[]> {
    if (ownerIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('iam_inline_policies')
      .select(['owner_id', 'owner_type', 'name', 'document'])
      .where('owner_id', 'in', ownerIds)
      .orderBy('owner_id')
      .orderBy('name')
      .execute();
  }

  /** Attached managed policies with their default version's document, in one join. */
  attachedOf(ownerIds: readonly string[]): Promise<AttachedPolicyRow[]> {
    if (ownerIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('iam_attachments')
      .leftJoin('iam_policies', 'iam_policies.arn', 'iam_attachments.policy_arn')
      .leftJoin('iam_policy_versions', (join) =>
        join.onRef('iam_policy_versions.policy_id', '=', 'iam_policies.id').onRef('iam_policy_versions.version_id', '=', 'iam_policies.default_version_id'),
      )
      .select(['iam_attachments.owner_id', 'iam_attachments.owner_type', 'iam_attachments.policy_arn', 'iam_policy_versions.document'])
      .where('iam_attachments.owner_id', 'in', ownerIds)
      .orderBy('iam_attachments.owner_id')
      .orderBy('iam_attachments.policy_arn')
      .execute();
  }

  /** The SCPs attached to each target, with their documents, in one join. */
  scpsOn(targetIds: readonly string[]): Promise<ScpRow[]> {
    if (targetIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('org_policy_attachments')
      .leftJoin('org_policies', 'org_policies.id', 'org_policy_attachments.policy_id')
      .select(['org_policy_attachments.target_id', 'org_policy_attachments.policy_id', 'org_policies.name', 'org_policies.document'])
      .where('org_policy_attachments.target_id', 'in', targetIds)
      .orderBy('org_policy_attachments.target_id')
      .orderBy('org_policy_attachments.policy_id')
      .execute();
  }
}
