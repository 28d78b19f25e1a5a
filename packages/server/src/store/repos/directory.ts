// Accounts and their principals (root and IAM users).
import type { Kysely, Selectable } from 'kysely';
import type { AccountsTable, Database, PrincipalsTable } from '../schema.ts';

export type Account = Selectable<AccountsTable>;
export type Principal = Selectable<PrincipalsTable>;

export class DirectoryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async createAccount(account: Account): Promise<void> {
    await this.db.insertInto('accounts').values(account).execute();
  }

  findAccount(id: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findAccountByAlias(alias: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('alias', '=', alias).executeTakeFirst();
  }

  listAccounts(): Promise<Account[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('created_at').execute();
  }

  async createPrincipal(principal: Principal): Promise<void> {
    await this.db.insertInto('principals').values(principal).execute();
  }

  findPrincipal(id: string): Promise<Principal | undefined> {
    return this.db.selectFrom('principals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUser(accountId: string, name: string): Promise<Principal | undefined> {
    return this.db
      .selectFrom('principals')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('kind', '=', 'user')
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** Root is found by its e-mail address, which is unique across the installation. */
  async findRootByEmail(email: string): Promise<Principal | undefined> {
    return this.db
      .selectFrom('principals')
      .innerJoin('accounts', 'accounts.id', 'principals.account_id')
      .selectAll('principals')
      .where('principals.kind', '=', 'root')
      .where('accounts.root_email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  listPrincipals(accountId: string): Promise<Principal[]> {
    return this.db.selectFrom('principals').selectAll().where('account_id', '=', accountId).orderBy('kind').orderBy('name').execute();
  }

  /** Sets a password; the new `changedAt` makes refreshes of older login sessions fail (USER_CREDENTIALS_CHANGED). */
  async setPassword(principalId: string, passwordHash: string, changedAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('principals')
      .set({ password_hash: passwordHash, password_changed_at: changedAt })
      .where('id', '=', principalId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setMaxSessionSeconds(principalId: string, seconds: number): Promise<boolean> {
    const result = await this.db.updateTable('principals').set({ max_session_seconds: seconds }).where('id', '=', principalId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
