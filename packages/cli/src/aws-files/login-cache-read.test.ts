// login-cache-read.ts names cache files with its own SHA-256 (sha256.ts) so that credential-process
// never loads node:crypto; this holds it to the protocol's cacheFileName.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheFileName } from '@keyless/protocol';
import { loginCachePath } from './login-cache-read.ts';

describe('login-cache-read.ts agrees with the protocol', () => {
  it('names cache files as cacheFileName does', () => {
    for (const session of ['arn:aws:iam::111111111111:user/alice', 'arn:aws:sts::111111111111:assumed-role/Admin/alice', 'arn:aws:iam::222222222222:root', 'é']) {
      assert.equal(loginCachePath('/cache', session), join('/cache', cacheFileName(session)));
    }
  });
});
