// A server started on a database with another master key than the one that set it up (a restored
// copy without its master.key, an instance missing KEYLESS_MASTER_KEY) stops at start with a
// message that names the setting and the file, not "sealed value is not for this key".
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createService } from '../compose.ts';
import { ConfigError, loadConfig } from '../config/config.ts';

const key = () => randomBytes(32).toString('base64');

describe('a master key that does not match the database', () => {
  it('stops the start with a message naming KEYLESS_MASTER_KEY, or the key file it read instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyless-master-mismatch-'));
    try {
      const database = join(dir, 'shared.db');
      const started = await createService(loadConfig({ KEYLESS_DATA_DIR: join(dir, 'a'), KEYLESS_DATABASE_URL: `sqlite:${database}`, KEYLESS_MASTER_KEY: key() }), { logger: false });
      await started.close();

      const fromVariable = createService(loadConfig({ KEYLESS_DATA_DIR: join(dir, 'b'), KEYLESS_DATABASE_URL: `sqlite:${database}`, KEYLESS_MASTER_KEY: key() }), { logger: false });
      await assert.rejects(fromVariable, (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^The master key does not match this database: its secrets were sealed with master key \S{8}, and this instance has \S{8}, from KEYLESS_MASTER_KEY\./);
        return true;
      });

      const fromFile = createService(loadConfig({ KEYLESS_DATA_DIR: join(dir, 'c'), KEYLESS_DATABASE_URL: `sqlite:${database}` }), { logger: false });
      await assert.rejects(fromFile, new RegExp(`from the key file ${join(dir, 'c', 'master.key').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(KEYLESS_MASTER_KEY is not set\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
