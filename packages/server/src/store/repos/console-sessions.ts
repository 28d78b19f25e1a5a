// Console sessions: a browser holds up to five at once, each for one principal.
import type { Kysely, Selectable } from 'kysely';
import type { ConsoleSessionsTable, Database } from '../schema.ts';

export type ConsoleSession = Selectable<ConsoleSessionsTable>;

export class ConsoleSessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: ConsoleSession): Promise<void> {
    await this.db.insertInto('console_sessions').values(session).execute();
  }

  /** The browser's sessions that have neither ended nor expired, oldest first. */
  listActive(browserDigest: string, now: number): Promise<ConsoleSession[]> {
    return this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('browser_digest', '=', browserDigest)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .execute();
  }

  /** One active session of this browser: a session id alone, without the browser's cookie, is worth nothing. */
  findActive(id: string, browserDigest: string, now: number): Promise<ConsoleSession | undefined> {
    return this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id', '=', id)
      .where('browser_digest', '=', browserDigest)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** An active session by id alone: for server-side checks after the browser has proven itself. */
  findActiveById(id: string, now: number): Promise<ConsoleSession | undefined> {
    return this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /**
   * Takes this browser's lock row for the rest of the transaction: call it first in every
   * transaction that counts the browser's sessions and then adds one. On PostgreSQL the upsert
   * holds the row lock until commit, so a second tab's transaction waits and then counts the
   * first one's session; on SQLite BEGIN IMMEDIATE has serialised the transactions already.
   */
  async lockBrowser(browserDigest: string, now: number): Promise<void> {
    await this.db
      .insertInto('console_browsers')
      .values({ browser_digest: browserDigest, locked_at: now })
      .onConflict((oc) => oc.column('browser_digest').doUpdateSet({ locked_at: now }))
      .execute();
  }

  /** Ends one session of this browser, or all of them when `id` is undefined; returns the ended sessions. */
  end(browserDigest: string, id: string | undefined, now: number): Promise<ConsoleSession[]> {
    let query = this.db
      .updateTable('console_sessions')
      .set({ ended_at: now })
      .where('browser_digest', '=', browserDigest)
      .where('ended_at', 'is', null);
    if (id !== undefined) query = query.where('id', '=', id);
    return query.returningAll().execute();
  }
}
