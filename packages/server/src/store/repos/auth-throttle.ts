// Sign-in attempt counters in fixed windows. `hit` is one upsert that increments and returns the
// count, so parallel guesses each see a distinct number and never more than the limit get through
// (the read-then-write version lets all of them see "4").
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface ThrottleCount {
  /** Attempts in the window, this one included. */
  attempts: number;
  windowStart: number;
}

export class AuthThrottleRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one attempt for `key`; a window older than `windowMs` starts again at 1. */
  async hit(key: string, now: number, windowMs: number): Promise<ThrottleCount> {
    const expired = sql<boolean>`auth_throttle.window_start <= ${now - windowMs}`;
    const row = await this.db
      .insertInto('auth_throttle')
      .values({ key, window_start: now, attempts: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // Both expressions read the row as it was before this update.
          attempts: sql<number>`case when ${expired} then 1 else auth_throttle.attempts + 1 end`,
          window_start: sql<number>`case when ${expired} then ${now} else auth_throttle.window_start end`,
        }),
      )
      .returning(['attempts', 'window_start'])
      .executeTakeFirstOrThrow();
    return { attempts: Number(row.attempts), windowStart: Number(row.window_start) };
  }

  /** Takes back one attempt of the window `windowStart` (one that turned out not to be a failure). */
  async undo(key: string, windowStart: number): Promise<void> {
    await this.db
      .updateTable('auth_throttle')
      .set({ attempts: sql<number>`attempts - 1` })
      .where('key', '=', key)
      .where('window_start', '=', windowStart)
      .where('attempts', '>', 0)
      .execute();
  }

  /** Drops counters whose window began before `before`; returns how many. */
  async purgeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('auth_throttle').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
