// Federated sign-in (issue 3): configured OpenID providers, the authorization requests in flight,
// and the principals row a role's sessions hang off. Each change is one statement, so two
// callbacks for one request, or two first sign-ins into one role, cannot both win or collide.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FederationRequestsTable, OidcProvidersTable } from '../schema.ts';
import type { IamRole } from './iam-roles.ts';
import type { Principal } from './directory.ts';

export type OidcProvider = Selectable<OidcProvidersTable>;
export type FederationRequest = Selectable<FederationRequestsTable>;

export class FederationRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** `audiences`: IAM's ClientIDList; the console sign-in client's id unless told otherwise. */
  async createProvider(provider: OidcProvider, audiences: readonly string[] = [provider.client_id]): Promise<void> {
    await this.db.insertInto('oidc_providers').values(provider).execute();
    for (const clientId of new Set(audiences)) await this.addAudience(provider.id, clientId, provider.created_at);
  }

  /** The `aud` values the provider's tokens may carry, oldest first. */
  async audiencesOf(providerId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('oidc_provider_audiences').select('client_id').where('provider_id', '=', providerId).orderBy('added_at').orderBy('client_id').execute();
    return rows.map((r) => r.client_id);
  }

  /** Adds a client id unless the provider has it already; true when this call added it. */
  async addAudience(providerId: string, clientId: string, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('oidc_provider_audiences')
      .values({ provider_id: providerId, client_id: clientId, added_at: now })
      .onConflict((oc) => oc.columns(['provider_id', 'client_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  findProvider(id: string): Promise<OidcProvider | undefined> {
    return this.db.selectFrom('oidc_providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findProviderByArn(arn: string): Promise<OidcProvider | undefined> {
    return this.db.selectFrom('oidc_providers').selectAll().where('arn', '=', arn).executeTakeFirst();
  }

  /** Every provider of every account, oldest first: the sign-in page offers them all. */
  listProviders(accountId?: string): Promise<OidcProvider[]> {
    let query = this.db.selectFrom('oidc_providers').selectAll();
    if (accountId !== undefined) query = query.where('account_id', '=', accountId);
    return query.orderBy('created_at').orderBy('id').execute();
  }

  async deleteProvider(id: string): Promise<boolean> {
    await this.db.deleteFrom('federation_requests').where('provider_id', '=', id).execute();
    await this.db.deleteFrom('oidc_provider_audiences').where('provider_id', '=', id).execute();
    const result = await this.db.deleteFrom('oidc_providers').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async createRequest(request: FederationRequest): Promise<void> {
    await this.db.insertInto('federation_requests').values(request).execute();
  }

  /**
   * Marks the request answered and returns it, when it exists, was started by this browser, is
   * unexpired and unanswered. One `UPDATE … RETURNING`: a replayed callback finds nothing.
   */
  consumeRequest(stateDigest: string, browserDigest: string, now: number): Promise<FederationRequest | undefined> {
    return this.db
      .updateTable('federation_requests')
      .set({ consumed_at: now })
      .where('state_digest', '=', stateDigest)
      .where('browser_digest', '=', browserDigest)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  async purgeExpiredRequests(before: number): Promise<number> {
    const result = await this.db.deleteFrom('federation_requests').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Roles of every account whose trust policy names some OpenID provider, by account and name: a
   * text match that only narrows the search (the caller evaluates each policy). A trust policy
   * must name the provider's ARN to admit its users, so none is missed.
   */
  rolesTrustingOidcProviders(): Promise<IamRole[]> {
    return this.db.selectFrom('iam_roles').selectAll().where('trust_policy', 'like', '%:oidc-provider/%').orderBy('account_id').orderBy('name').execute();
  }

  /**
   * The principals row of `role` (console and login sessions reference principals): inserted the
   * first time one of its sessions begins, its maximum session duration kept in step with the role's.
   * A row left by a deleted role of the same name is renamed out of the way first: its sessions
   * stay attached to it and are refused, since the role they were issued for is gone.
   */
  async rolePrincipal(role: IamRole, now: number): Promise<Principal> {
    await this.db
      .updateTable('principals')
      .set({ arn: sql`arn || '#deleted:' || id`, name: sql`name || '#deleted:' || id` })
      .where('kind', '=', 'role')
      .where('arn', '=', role.arn)
      .where('id', '!=', role.id)
      .execute();
    const row: Principal = {
      id: role.id,
      account_id: role.account_id,
      kind: 'role',
      name: role.name,
      arn: role.arn,
      password_hash: null,
      password_changed_at: null,
      max_session_seconds: role.max_session_seconds,
      created_at: now,
    };
    return this.db
      .insertInto('principals')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ max_session_seconds: role.max_session_seconds, name: role.name, arn: role.arn }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
