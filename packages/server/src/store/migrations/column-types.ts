/** The SQL dialects the store speaks; each migration writes its column types for one. */
export type Dialect = 'sqlite' | 'postgres';

/** Column types that differ by dialect. Epoch milliseconds exceed 32 bits: bigint on PostgreSQL; SQLite integers are 64-bit anyway. */
export const columnTypes = (dialect: Dialect) => ({
  time: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
  serial: dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const),
});
