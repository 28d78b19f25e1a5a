// SQL pieces the IAM repositories share, written once for SQLite and PostgreSQL alike.
import { sql, type RawBuilder } from 'kysely';

/**
 * `column` begins with `prefix`. Not LIKE: IAM paths may hold `%` and `_`, which LIKE would take
 * as wildcards. `substr` counts characters in both dialects.
 */
export const startsWith = (column: 'path' | 'arn', prefix: string): RawBuilder<boolean> =>
  sql<boolean>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;

export const pathStartsWith = (prefix: string): RawBuilder<boolean> => startsWith('path', prefix);

/** `lower(name) = ?`: IAM names are unique whatever their case. */
export const nameIs = (name: string): RawBuilder<boolean> => sql<boolean>`lower(name) = ${name.toLowerCase()}`;
