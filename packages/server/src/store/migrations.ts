// One set of migrations for SQLite and PostgreSQL, applied on start (Kysely's Migrator takes a
// lock on PostgreSQL, so several instances starting together apply each migration once).
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { initial } from './migrations/0001-initial.ts';
import { iam } from './migrations/0002-iam.ts';
import { mfaThrottle } from './migrations/0003-mfa-throttle.ts';
import { audit } from './migrations/0004-audit.ts';
import { federation } from './migrations/0005-federation.ts';
import { auditTemplates } from './migrations/0006-audit-templates.ts';
import { stsSessions } from './migrations/0008-sts-sessions.ts';
import type { Dialect } from './migrations/column-types.ts';


/**
 * Every migration, in order. Each lives in its own file under migrations/ and is never edited
 * once released: a change to the schema is a new file added at the end of this list.
 */
const migrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001_initial': initial(dialect),
  '0002_iam': iam(dialect),
  '0003_mfa_throttle': mfaThrottle(dialect),
  '0004_audit': audit(dialect),
  '0005_federation': federation(dialect),
  '0006_audit_templates': auditTemplates(dialect),
  '0008_sts_sessions': stsSessions(dialect),
});

/** The names of every migration, in order: what a migrated database has recorded. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations('sqlite'));

/**
 * The migration tables live in the schema the tables go to: without naming it, Kysely's Migrator
 * looks for them in every schema of the database, finds another installation's, and never
 * creates its own. On PostgreSQL that is `current_schema()` (whatever search_path selects).
 * Unordered migrations are allowed: 0002 (IAM) came after 0003 was applied on existing
 * installations, which then apply 0002 alone on their next start.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const schema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  if (dialect === 'postgres' && !schema) throw new Error('the schema named by search_path does not exist: create it first');
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'keyless_migrations', migrationLockTableName: 'keyless_migrations_lock', migrationTableSchema: schema, allowUnorderedMigrations: true });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its migration tables by listing every table of the database; a schema that
  // another installation drops at that moment fails the listing. Nothing was applied: try again.
  for (let attempt = 0; attempt < 3 && isVanishedSchema(error, schema); attempt++) ({ error, results } = await migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isVanishedSchema = (error: unknown, own: string | undefined): boolean => {
  const match = error instanceof Error ? /schema "([^"]+)" does not exist/.exec(error.message) : null;
  return match !== null && match[1] !== own;
};
