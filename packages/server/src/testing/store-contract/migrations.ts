// Migrations: applied on a fresh database, a no-op on the next start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { MIGRATION_NAMES } from '../../store/migrations.ts';
import { openStore, type DatabaseLocation, type Store } from '../../store/store.ts';
import { TEST_POOL_SIZE, type TestBackend, type TestDatabase } from '../backends.ts';
import { T0, account, root, seedLoginSession } from './fixtures.ts';

export function migrationsContract(backend: TestBackend): void {
  describe('migrations', () => {
    it('apply on a fresh database and are recorded', () =>
      onFreshDatabase(backend, async (database) => {
        const store = await openStore(database.location, { poolSize: TEST_POOL_SIZE });
        try {
          assert.equal(store.dialect, backend.name);
          await seedLoginSession(store);
          assert.ok(await store.read((rs) => rs.settings.insertIfAbsent('installation', 'one')));
          assert.deepEqual(
            (await migrationRows(database.location)).map((row) => row.name),
            [...MIGRATION_NAMES],
          );
        } finally {
          await store.close();
        }
      }));

    it('opening the same database again is a no-op: nothing re-applied, nothing lost', () =>
      onFreshDatabase(backend, async (database) => {
        const first = await openStore(database.location);
        await first.read((rs) => rs.directory.createAccount(account()));
        await first.read((rs) => rs.directory.createPrincipal(root()));
        await first.close();
        const applied = await migrationRows(database.location);

        const second = await openStore(database.location);
        try {
          assert.deepEqual(await migrationRows(database.location), applied);
          assert.equal((await second.read((rs) => rs.directory.findPrincipal(root().id)))?.created_at, T0);
          assert.equal((await second.read((rs) => rs.directory.listAccounts())).length, 1);
        } finally {
          await second.close();
        }
      }));

    if (backend.name === 'sqlite') {
      it('sqlite: the file runs in WAL mode (readers never block the writer)', () =>
        onFreshDatabase(backend, async (database) => {
          const store = await openStore(database.location);
          try {
            await store.read((rs) => rs.settings.insertIfAbsent('k', 'v'));
            const file = (database.location as { file: string }).file;
            assert.ok(existsSync(`${file}-wal`), 'a write leaves a -wal file beside the database');
          } finally {
            await store.close();
          }
        }));
    }

    if (backend.name === 'postgres') {
      // Several instances may start together against one database: the migration lock makes
      // exactly one of them apply each migration and the others wait, then see it applied.
      it('postgres: instances opening a fresh database together all succeed, applying once', () =>
        onFreshDatabase(backend, async (database) => {
          const stores: Store[] = [];
          try {
            const opened = await Promise.allSettled(Array.from({ length: 4 }, () => openStore(database.location, { poolSize: 2 })));
            for (const result of opened) if (result.status === 'fulfilled') stores.push(result.value);
            assert.deepEqual(
              opened.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok')),
              ['ok', 'ok', 'ok', 'ok'],
            );
            assert.equal((await migrationRows(database.location)).length, MIGRATION_NAMES.length);
          } finally {
            await Promise.all(stores.map((store) => store.close()));
          }
        }));
    }
  });
}

async function onFreshDatabase(backend: TestBackend, body: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await backend.create();
  try {
    await body(database);
  } finally {
    await database.drop();
  }
}

/** Kysely's migration bookkeeping, read behind the store's back: the store rightly does not expose it. */
async function migrationRows(location: DatabaseLocation): Promise<Array<{ name: string; timestamp: string }>> {
  const query = 'select name, timestamp from keyless_migrations order by name';
  if (location.kind === 'sqlite') {
    const db = new SQLite(location.file, { readonly: true });
    try {
      return db.prepare(query).all() as Array<{ name: string; timestamp: string }>;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url, options: `-c search_path=${location.schema}` });
  await client.connect();
  try {
    return (await client.query<{ name: string; timestamp: string }>(query)).rows;
  } finally {
    await client.end();
  }
}
