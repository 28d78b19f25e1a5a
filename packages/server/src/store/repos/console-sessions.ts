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

  /**
   * Renews a browser's cookie value (session fixation: it changes at every sign-in step): marks
   * `fromDigest` renewed and moves all its sessions to `toDigest`, so the old value finds nothing.
   * False, changing nothing, when `fromDigest` was already renewed less than `raceMs` ago — a
   * second tab signing in at the same moment with the same cookie, which must not split the
   * browser's sessions between two values. The upsert locks the row (PostgreSQL) like lockBrowser.
   */
  async renewBrowser(fromDigest: string, toDigest: string, now: number, raceMs: number): Promise<boolean> {
    const row = await this.db
      .insertInto('console_browsers')
      .values({ browser_digest: fromDigest, locked_at: now, renewed_at: null })
      .onConflict((oc) => oc.column('browser_digest').doUpdateSet({ locked_at: now }))
      .returning('renewed_at')
      .executeTakeFirstOrThrow();
    if (row.renewed_at !== null && Number(row.renewed_at) > now - raceMs) return false;
    await this.db.updateTable('console_browsers').set({ renewed_at: now }).where('browser_digest', '=', fromDigest).execute();
    await this.db.updateTable('console_sessions').set({ browser_digest: toDigest }).where('browser_digest', '=', fromDigest).execute();
    return true;
  }

  /** Drops the marks of cookie values renewed before `before`; returns how many. */
  async purgeRenewedBrowsers(before: number): Promise<number> {
    const result = await this.db.deleteFrom('console_browsers').where('renewed_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
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
