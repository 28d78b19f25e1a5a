import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newDpopKey, SAME_DEVICE_CLIENT_ID } from '@keyless/protocol';
import { withTempHome } from '../testing/test-context.ts';
import { CliError } from '../ui/errors.ts';
import { buildLoginCacheFile, deleteLoginCache, importDpopKey, listLoginCacheFiles, loginCachePath, readLoginCache, writeLoginCache } from './login-cache.ts';

const key = () => newDpopKey();
const token = {
  accessToken: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' },
  tokenType: 'aws_sigv4' as const,
  expiresIn: 900,
  refreshToken: 'r',
  idToken: 'i.d.t',
};

describe('login cache files', () => {
  it('round-trips a cache file built from a token response, SEC1 key and second-precision expiry', () =>
    withTempHome(async (dir) => {
      const path = loginCachePath(join(dir, 'cache'), 'arn:aws:iam::111111111111:user/alice');
      assert.match(path, /[/\\][0-9a-f]{64}\.json$/);
      const cache = buildLoginCacheFile({ token, accountId: '111111111111', clientId: SAME_DEVICE_CLIENT_ID, dpopKey: key(), now: new Date('2026-11-23T20:00:00.750Z'), signInRegion: 'us-east-1' });
      assert.equal(cache.accessToken.expiresAt, '2026-11-23T20:15:00Z');
      assert.match(cache.dpopKey, /^-----BEGIN EC PRIVATE KEY-----\n/);
      await writeLoginCache(path, cache);
      assert.deepEqual(await readLoginCache(path), cache);
      assert.equal(await deleteLoginCache(path), true);
      assert.equal(await deleteLoginCache(path), false);
      assert.equal(await readLoginCache(path), undefined);
    }));

  it('names a damaged file', () =>
    withTempHome(async (dir) => {
      const path = join(dir, 'bad.json');
      await writeFile(path, '{"accessToken":{}}');
      await assert.rejects(readLoginCache(path), (error: unknown) => error instanceof CliError && error.code === 'CACHE_FILE_INVALID' && error.message.includes(path));
    }));

  it('imports SEC1 and PKCS#8 P-256 keys, and nothing else', () => {
    const k = key();
    importDpopKey(k.export({ type: 'sec1', format: 'pem' }).toString());
    importDpopKey(k.export({ type: 'pkcs8', format: 'pem' }).toString());
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => importDpopKey(p384), /P-256/);
  });

  it('lists only files holding accessToken.accessKeyId; a missing directory is empty', () =>
    withTempHome(async (dir) => {
      assert.deepEqual(await listLoginCacheFiles(join(dir, 'none')), []);
      await mkdir(join(dir, 'c'));
      await writeFile(join(dir, 'c', 'a.json'), '{"accessToken":{"accessKeyId":"ASIA"}}');
      await writeFile(join(dir, 'c', 'sso.json'), '{"accessToken":"eyJ..."}');
      await writeFile(join(dir, 'c', 'broken.json'), '{');
      await writeFile(join(dir, 'c', 'other.txt'), '{"accessToken":{"accessKeyId":"ASIA"}}');
      assert.deepEqual((await listLoginCacheFiles(join(dir, 'c'))).map((entry) => entry.path), [join(dir, 'c', 'a.json')]);
    }));
});
