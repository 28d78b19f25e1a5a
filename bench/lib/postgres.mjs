// A dedicated, throw-away PostgreSQL database for the benchmark: created empty before each server
// configuration (so every row starts from the same empty schema) and dropped at the end.
import { execFileSync } from 'node:child_process';

export const PG_ADMIN = { host: process.env.BENCH_PGHOST ?? '127.0.0.1', port: process.env.BENCH_PGPORT ?? '5432', user: process.env.BENCH_PGUSER ?? 'postgres' };
export const BENCH_DATABASE = 'keyless_bench';

const args = (database) => ['-h', PG_ADMIN.host, '-p', PG_ADMIN.port, '-U', PG_ADMIN.user, database];
const run = (command, database, extra = []) => execFileSync(command, [...extra, ...args(database)], { stdio: ['ignore', 'ignore', 'pipe'] });

export function recreateDatabase() {
  dropDatabase();
  run('createdb', BENCH_DATABASE);
  return `postgres://${PG_ADMIN.user}@${PG_ADMIN.host}:${PG_ADMIN.port}/${BENCH_DATABASE}`;
}

export function dropDatabase() {
  run('dropdb', BENCH_DATABASE, ['--if-exists']);
}

export function postgresVersion() {
  try {
    return execFileSync('psql', ['-At', '-c', 'show server_version', ...args('postgres')], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
