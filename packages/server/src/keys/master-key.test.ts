// The master key file is the server's most sensitive file: created 0600, and narrowed to 0600 on
// start when it is found readable by others.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMasterKey } from './master-key.ts';

const posix = process.platform !== 'win32';

describe('the master key file', { skip: !posix && 'POSIX file modes' }, () => {
  const withDataDir = (body: (dir: string) => void) => () => {
    const root = mkdtempSync(join(tmpdir(), 'keyless-master-key-'));
    const previous = process.umask(0o000);
    try {
      body(join(root, 'data'));
    } finally {
      process.umask(previous);
      rmSync(root, { recursive: true, force: true });
    }
  };

  it('is created 0600 in a 0700 directory, and the same key is read back', withDataDir((dir) => {
    const key = loadMasterKey(undefined, dir);
    assert.equal(key.length, 32);
    assert.equal((statSync(join(dir, 'master.key')).mode & 0o777).toString(8), '600');
    assert.equal((statSync(dir).mode & 0o777).toString(8), '700');
    assert.deepEqual(loadMasterKey(undefined, dir), key);
  }));

  it('found readable by others, is narrowed to 0600 and still used', withDataDir((dir) => {
    loadMasterKey(undefined, dir);
    const file = join(dir, 'master.key');
    const text = readFileSync(file, 'utf8');
    chmodSync(file, 0o644);
    const key = loadMasterKey(undefined, dir);
    assert.equal((statSync(file).mode & 0o777).toString(8), '600');
    assert.equal(key.toString('base64'), text.trim());
  }));

});
