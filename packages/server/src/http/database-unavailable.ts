// One answer to "the database is unavailable" for every protocol's error handler: the fault as
// database-faults.ts classifies it, a Retry-After header, and a warn line that names the cause
// without a stack. A database that is down fails every request at once; one line per cause per
// few seconds tells the operator what happened without a line per request.
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { asDatabaseUnavailable, type DatabaseUnavailableError } from '../store/database-faults.ts';

const QUIET_MS = 5000;
let lastLogged = { reason: '', at: -Infinity, suppressed: 0 };

/** The fault when `error` is the database being unavailable (the reply then gets Retry-After), else undefined. */
export function databaseUnavailable(error: unknown, reply: FastifyReply, log: FastifyBaseLogger): DatabaseUnavailableError | undefined {
  const fault = asDatabaseUnavailable(error);
  if (!fault) return undefined;
  reply.header('retry-after', String(fault.retryAfterSeconds));
  const now = performance.now();
  if (fault.reason !== lastLogged.reason || now - lastLogged.at >= QUIET_MS) {
    log.warn({ database: fault.reason, ...(lastLogged.suppressed && { alsoFailedSinceLastLine: lastLogged.suppressed }) }, 'database unavailable: answering 503');
    lastLogged = { reason: fault.reason, at: now, suppressed: 0 };
  } else {
    lastLogged.suppressed++;
  }
  return fault;
}
