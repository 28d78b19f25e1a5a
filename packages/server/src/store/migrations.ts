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
import { browserRenewal } from './migrations/0007-browser-renewal.ts';
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
});

/**
 * Schema changes after 0006, in the table the releases up to 0006 never read
 * (keyless_schema_migrations), so a previous release keeps starting on a database this one
 * migrated: Kysely's Migrator refuses a database that has recorded a migration it does not know
 * ("corrupted migrations"), which made a one-step rollback impossible and kept an old instance down
 * once it restarted during a rolling upgrade.
 *
 * The rule (README, "Upgrades and rollback"): a change the previous release can run beside is an
 * *expand* (a new table, a nullable column, an index) and its name ends in `~expand`; a release
 * that meets `~expand` changes it does not know runs on. Anything else (dropping or renaming what
 * the previous release uses, a NOT NULL it does not fill) is a *contract*, shipped a release after
 * the code stopped using it; a release that meets a contract it does not know refuses to start,
 * naming it. Never edit one once released; add a new one at the end.
 */
const schemaChanges = (dialect: Dialect): Record<string, Migration> => ({
  '0007_browser_renewal~expand': browserRenewal(dialect),
  '0008_sts_sessions~expand': stsSessions(dialect),
});

/** The names of every migration, in order: what a migrated database has recorded. */
export const MIGRATION_NAMES: readonly string[] = [...Object.keys(migrations('sqlite')), ...Object.keys(schemaChanges('sqlite'))];

/** The schema version a database is at once migrated: its last migration's name, for the start-up log. */
export const SCHEMA_VERSION = MIGRATION_NAMES.at(-1)!;

const EXPAND = '~expand';

/**
 * On PostgreSQL a migration waits at most this long for a lock, then gives up and is tried again:
 * while it waits, requests queue behind it, and it must not hold them longer than a request may
 * take; shorter than PostgreSQL's deadlock_timeout (1 s), so against a serving instance's
 * transaction that locks the same tables in the other order it is the migration that yields.
 */
const MIGRATION_LOCK_TIMEOUT = '500ms';
const MIGRATION_ATTEMPTS = 20;

/**
 * The migration tables live in the schema the tables go to: without naming it, Kysely's Migrator
 * looks for them in every schema of the database, finds another installation's, and never
 * creates its own. On PostgreSQL that is `current_schema()` (whatever search_path selects).
 * Unordered migrations are allowed: 0002 (IAM) came after 0003 was applied on existing
 * installations, which then apply 0002 alone on their next start. `later` is for tests: schema
 * changes of a release after this one.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, later: Record<string, Migration> = {}): Promise<void> {
  const schema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  if (dialect === 'postgres' && !schema) throw new Error('the schema named by search_path does not exist: create it first');
  await migrateTrack(db, dialect, schema, 'keyless_migrations', migrations(dialect));
  const changes = { ...schemaChanges(dialect), ...later };
  const unknown = await recordedUnknown(db, schema, 'keyless_schema_migrations', changes);
  const contracts = unknown.filter((name) => !name.endsWith(EXPAND));
  if (contracts.length > 0) {
    throw new Error(
      `the database has schema changes from a later Keyless that this one cannot run beside: ${contracts.join(', ')}. Run the release that made them (or a later one); this release knows up to ${SCHEMA_VERSION}.`,
    );
  }
  // Expand changes of a later release are recorded already and compatible: known to the migrator
  // as done, they are neither run nor refused.
  const tolerated = Object.fromEntries(unknown.map((name) => [name, { up: async () => {} } satisfies Migration]));
  await migrateTrack(db, dialect, schema, 'keyless_schema_migrations', { ...changes, ...tolerated });
}

async function migrateTrack(db: Kysely<any>, dialect: Dialect, schema: string | undefined, table: string, track: Record<string, Migration>): Promise<void> {
  // Each migration first bounds its lock waits (SET LOCAL: its own transaction only).
  const bounded = Object.fromEntries(
    Object.entries(track).map(([name, migration]) => [
      name,
      { up: async (trx: Kysely<any>) => {
          if (dialect === 'postgres') await sql.raw(`set local lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`).execute(trx);
          await migration.up(trx);
        } } satisfies Migration,
    ]),
  );
  const provider: MigrationProvider = { getMigrations: async () => bounded };
  const migrator = new Migrator({ db, provider, migrationTableName: table, migrationLockTableName: `${table}_lock`, migrationTableSchema: schema, allowUnorderedMigrations: true });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its migration tables by listing every table of the database; a schema that
  // another installation drops at that moment fails the listing. A lock a serving instance holds
  // (lock_timeout), or a deadlock PostgreSQL broke by rolling the migration back: nothing was
  // applied either way. Try again, a little later each time.
  for (let attempt = 1; attempt < MIGRATION_ATTEMPTS && (isVanishedSchema(error, schema) || isLockConflict(error)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The migrations `table` has recorded that `known` does not name (none when the table does not exist yet). */
async function recordedUnknown(db: Kysely<any>, schema: string | undefined, table: string, known: Record<string, Migration>): Promise<string[]> {
  const count =
    schema === undefined
      ? sql<{ n: number | string }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`
      : sql<{ n: number | string }>`select count(*) as n from information_schema.tables where table_schema = ${schema} and table_name = ${table}`;
  const exists = Number((await count.execute(db)).rows[0]!.n) > 0;
  if (!exists) return [];
  const names = (await db.selectFrom(table).select('name').execute()) as Array<{ name: string }>;
  return names.map((row) => row.name).filter((name) => !(name in known));
}

const isVanishedSchema = (error: unknown, own: string | undefined): boolean => {
  const match = error instanceof Error ? /schema "([^"]+)" does not exist/.exec(error.message) : null;
  return match !== null && match[1] !== own;
};

/** lock_not_available (lock_timeout) or deadlock_detected, anywhere in the error's causes. */
const isLockConflict = (error: unknown): boolean => {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '55P03' || e.code === '40P01') return true;
  }
  return false;
};
