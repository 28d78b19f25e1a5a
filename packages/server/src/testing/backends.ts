// Every storage backend the server supports, as fresh throw-away databases for tests: loop a
// suite over `backends()` so SQLite and PostgreSQL are held to one contract (the Kysely model).
//
//   for (const backend of backends()) {
//     describe(backend.name, { skip: backend.skip }, () => {
//       it('…', async () => {
//         const store = await backend.open();
//         try { … } finally { await store.close(); } // close() also deletes the database
//       });
//     });
//   }
//
// SQLite is a real file in a fresh temporary directory (not :memory:, which silently ignores WAL).
// PostgreSQL is KEYLESS_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; each
// database is a fresh schema in it, dropped on close. When PostgreSQL is unreachable its tests are
// skipped with the reason, except under CI, where every one of them fails with that reason.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type DatabaseLocation, type Store } from '../store/store.ts';

export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's tests cannot run here, or false: pass it to `describe(name, { skip })`. */
  readonly skip: string | false;
  /** A store on a fresh, empty, migrated database of its own; `close()` also deletes the database. */
  open(): Promise<Store>;
  /** A fresh, empty database not yet opened, for tests that open it several times (migrations, two instances). */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase {
  readonly location: DatabaseLocation;
  /** Deletes the database; close every store opened on it first. */
  drop(): Promise<void>;
}

/** Pool size for PostgreSQL stores: at least 10, so the concurrency tests truly run in parallel. */
export const TEST_POOL_SIZE = 10;

const POSTGRES_URL = process.env.KEYLESS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function backends(): TestBackend[] {
  return [sqlite, postgres];
}

const sqlite: TestBackend = {
  name: 'sqlite',
  skip: false,
  open: () => openFresh(sqlite),
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'keyless-store-'));
    return { location: { kind: 'sqlite', file: join(dir, 'keyless.db') }, drop: () => rm(dir, { recursive: true, force: true }) };
  },
};

/** Undefined when PostgreSQL answers, else why not; probed once, when this module loads. */
const postgresProblem = await probe(POSTGRES_URL);
const postgresUnusable =
  postgresProblem === undefined
    ? undefined
    : `PostgreSQL at ${redacted(POSTGRES_URL)} is unreachable (${postgresProblem}); start it or set KEYLESS_TEST_DATABASE_URL`;

const postgres: TestBackend = {
  name: 'postgres',
  // Under CI a missing database is a broken build, not a reason to test less.
  skip: postgresUnusable !== undefined && !process.env.CI ? postgresUnusable : false,
  open: () => openFresh(postgres),
  async create() {
    if (postgresUnusable !== undefined) throw new Error(`${postgresUnusable} (CI is set, so the postgres backend is required)`);
    const schema = `kl_${randomBytes(8).toString('hex')}`;
    await administer(`create schema ${schema}`);
    return { location: { kind: 'postgres', url: POSTGRES_URL, schema }, drop: () => administer(`drop schema if exists ${schema} cascade`) };
  },
};

async function openFresh(backend: TestBackend): Promise<Store> {
  const database = await backend.create();
  let store: Store;
  try {
    store = await openStore(database.location, { poolSize: TEST_POOL_SIZE });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...store,
    close: async () => {
      try {
        await store.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/** One statement on its own short-lived connection: nothing is left open to keep the test process alive. */
async function administer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // A refused connection may also surface as an 'error' event; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.constructor.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'KEYLESS_TEST_DATABASE_URL';
  }
}
