// login-cache-read.ts restates two things of the protocol package so credential-process never
// loads node:crypto; these tests hold them to the protocol's answers.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheFileName, parseLoginCacheFile, toProcessCredentials, type LoginCacheFile } from '@keyless/protocol';
import { processCredentials } from '../commands/credential-process.ts';
import { loginCachePath, parseLoginCacheText } from './login-cache-read.ts';

const VALID: LoginCacheFile = {
  accessToken: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', accountId: '111111111111', expiresAt: '2026-11-23T20:15:00Z' },
  tokenType: 'aws_sigv4',
  clientId: 'arn:aws:signin:::devtools/same-device',
  refreshToken: 'r',
  dpopKey: '-----BEGIN EC PRIVATE KEY-----\n...\n-----END EC PRIVATE KEY-----\n',
};

const without = (path: string[]): unknown => {
  const copy = structuredClone(VALID) as unknown as Record<string, Record<string, unknown>>;
  if (path.length === 1) delete (copy as Record<string, unknown>)[path[0] as string];
  else delete (copy[path[0] as string] as Record<string, unknown>)[path[1] as string];
  return copy;
};

const outcome = (parse: (text: string) => unknown, text: string): { ok: unknown } | { error: string } => {
  try {
    return { ok: parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('login-cache-read.ts agrees with the protocol', () => {
  it('names cache files as cacheFileName does', () => {
    for (const session of ['arn:aws:iam::111111111111:user/alice', 'arn:aws:sts::111111111111:assumed-role/Admin/alice', 'arn:aws:iam::222222222222:root', 'é']) {
      assert.equal(loginCachePath('/cache', session), join('/cache', cacheFileName(session)));
    }
  });

  const texts: Array<[string, string]> = [
    ['valid', JSON.stringify(VALID)],
    ['with extra members', JSON.stringify({ ...VALID, signInRegion: 'eu-west-1', idToken: 'x', other: 1 })],
    ['null', 'null'],
    ['a string', '"x"'],
    ['not JSON', '{'],
    ['empty', ''],
    ['accessToken not an object', JSON.stringify({ ...VALID, accessToken: 'x' })],
    ['expiresAt a number', JSON.stringify({ ...VALID, accessToken: { ...VALID.accessToken, expiresAt: 1 } })],
    ...(['accessKeyId', 'secretAccessKey', 'sessionToken', 'accountId', 'expiresAt'].map((key) => [`no accessToken.${key}`, JSON.stringify(without(['accessToken', key]))]) as Array<[string, string]>),
    ...(['accessToken', 'clientId', 'refreshToken', 'dpopKey'].map((key) => [`no ${key}`, JSON.stringify(without([key]))]) as Array<[string, string]>),
  ];
  for (const [name, text] of texts) {
    it(`parses as parseLoginCacheFile does: ${name}`, () => {
      const ours = outcome(parseLoginCacheText, text);
      const theirs = outcome(parseLoginCacheFile, text);
      if ('error' in theirs) assert.ok('error' in ours, `accepted what the protocol refuses: ${theirs.error}`);
      else assert.deepEqual(ours, theirs);
      if ('error' in ours && 'error' in theirs && !/JSON/.test(theirs.error)) assert.equal(ours.error, theirs.error);
    });
  }

  it('prints credential_process JSON as toProcessCredentials does', () => {
    assert.deepEqual(processCredentials(VALID), toProcessCredentials(VALID));
    assert.equal(JSON.stringify(processCredentials(VALID)), JSON.stringify(toProcessCredentials(VALID)), 'same member order');
  });
});
