// Which database failures mean "the database is unavailable right now" rather than "this request
// is wrong" or "Keyless has a bug". Those get a 503 with Retry-After from every endpoint (the
// transaction they cut was rolled back, so nothing is half-applied, and the client's retry — which
// every AWS SDK makes by itself on a 503 — can succeed once the database is back), one log line
// rather than a stack per request, and readiness reporting not-ready until a statement succeeds.

/** SQLSTATE classes and codes that PostgreSQL (or a proxy in front of it) uses for "not now". */
const POSTGRES_UNAVAILABLE = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a restart or a failover
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '57014', // query_canceled: our statement_timeout fired
  '25P03', // idle_in_transaction_session_timeout
  '40001', // serialization_failure: rolled back, a retry succeeds
  '40P01', // deadlock_detected: rolled back, a retry succeeds
  '55P03', // lock_not_available: lock_timeout (a migration holding a lock)
]);

/** Socket-level errors between Keyless and the database. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres says these in words, with no code. */
const POSTGRES_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/**
 * SQLite's primary result codes for a database that cannot take the write now: locked beyond the
 * busy timeout, a read-only file or file system, a full disk, an I/O error.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PROTOCOL)/;

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /** How long a client should wait before trying again, in seconds (the Retry-After header). */
  readonly retryAfterSeconds = 1;
  constructor(
    /** A short, secret-free description for the log: the driver's code and message. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('The database is unavailable; try again shortly.', options);
  }
}

/** The error as a DatabaseUnavailableError when it is one of the failures above, else undefined. */
export function asDatabaseUnavailable(error: unknown): DatabaseUnavailableError | undefined {
  if (error instanceof DatabaseUnavailableError) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const codeText = typeof code === 'string' ? code : '';
  const unavailable =
    POSTGRES_UNAVAILABLE.has(codeText) ||
    codeText.startsWith('08') || // connection_exception class
    NETWORK_CODES.has(codeText) ||
    SQLITE_UNAVAILABLE.test(codeText) ||
    POSTGRES_CLIENT_MESSAGES.some((text) => error.message.includes(text));
  if (!unavailable) return undefined;
  return new DatabaseUnavailableError(`${codeText ? `${codeText}: ` : ''}${error.message}`, { cause: error });
}
