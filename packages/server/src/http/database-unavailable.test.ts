// SQLite that cannot take a write — another process holds the lock past the busy timeout — answers
// a refresh 503 with Retry-After in the token API's shape, writes nothing, and serves again once the
// lock is gone. The other causes a disk gives (read-only, full, I/O errors) and PostgreSQL's are
// classified by database-faults.ts, checked below; PostgreSQL's are driven end to end in
// test/e2e/database-faults.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { newDpopKey } from '@keyless/protocol';
import { asDatabaseUnavailable } from '../store/database-faults.ts';
import { newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness } from '../testing/harness.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('a database that cannot serve the request', () => {
  it('SQLite locked by another process past the busy timeout: 503 with Retry-After, nothing written, then the refresh succeeds', { timeout: 30_000 }, async () => {
    const h = await startHarness();
    try {
      const attempt = newLoginAttempt();
      const key = newDpopKey();
      const redeemed = await postToken(h, redeemBody(attempt, await obtainCode(h, attempt)), { key });
      assert.equal(redeemed.status, 200, redeemed.body);
      const { refreshToken } = redeemed.json<{ refreshToken: string }>();

      const file = (h.config.database as { file: string }).file;
      const other = new Database(join(file));
      other.exec('begin exclusive');
      let refused;
      try {
        refused = await postToken(h, refreshBody(attempt, refreshToken), { key });
      } finally {
        other.exec('rollback');
        other.close();
      }
      assert.equal(refused.status, 503, refused.body);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.headers['x-amzn-errortype'], 'InternalServerException');
      assert.deepEqual(refused.json(), { error: 'server_error', message: 'The service is unavailable; try again shortly.' });

      // The refused refresh spent nothing: the same token rotates now.
      const retried = await postToken(h, refreshBody(attempt, refreshToken), { key });
      assert.equal(retried.status, 200, retried.body);
    } finally {
      await h.close();
    }
  });

  it('classifies what means "not now" and nothing else', () => {
    for (const [message, code] of [
      ['terminating connection due to administrator command', '57P01'],
      ['canceling statement due to statement timeout', '57014'],
      ['canceling statement due to lock timeout', '55P03'],
      ['deadlock detected', '40P01'],
      ['connection failure', '08006'],
      ['connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
      ['database is locked', 'SQLITE_BUSY'],
      ['attempt to write a readonly database', 'SQLITE_READONLY'],
      ['database or disk is full', 'SQLITE_FULL'],
      ['disk I/O error', 'SQLITE_IOERR_WRITE'],
    ] as const) {
      assert.equal(asDatabaseUnavailable(withCode(message, code))?.reason, `${code}: ${message}`);
    }
    assert.ok(asDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(asDatabaseUnavailable(new Error('Query read timeout')));
    for (const error of [withCode('duplicate key value violates unique constraint', '23505'), withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_PRIMARYKEY'), new TypeError('x is undefined'), 'a string']) {
      assert.equal(asDatabaseUnavailable(error), undefined);
    }
  });
});
