// Statements of the refresh hot path as fixed SQL text. Kysely's builder makes and compiles a
// query tree on every call (≈ 12% of a refresh's CPU in the benchmark's profile); text written
// once goes straight to the driver, where SQLite's statement cache (database.ts) finds it by that
// same text. Values are always parameters, never spliced in.
import { CompiledQuery, SqliteAdapter, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.ts';

export type SqlDialect = 'sqlite' | 'postgres';

export const dialectOf = (db: Kysely<Database>): SqlDialect => (db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres');

/** `?` placeholders, in order, as PostgreSQL's `$1, $2, …`. The statements here hold no `?` in literals. */
export const numberedPlaceholders = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** One statement in both dialects' placeholder styles, written once with `?`. */
export class FixedStatement<R = unknown> {
  private readonly postgres: string;

  constructor(private readonly sqlite: string) {
    this.postgres = numberedPlaceholders(sqlite);
  }

  run(db: Kysely<Database>, dialect: SqlDialect, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    return db.executeQuery(CompiledQuery.raw(dialect === 'sqlite' ? this.sqlite : this.postgres, parameters as unknown[]) as CompiledQuery<R>);
  }
}
