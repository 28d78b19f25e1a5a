// The cache file as the JS SDK reads it (PROTOCOL.md §3): the members it requires, as strings;
// and the credential_process output made from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLoginCacheFile, toProcessCredentials, type LoginCacheFile } from './cache-file.ts';

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

describe('parseLoginCacheFile', () => {
  it('accepts a complete file, and keeps members it does not know', () => {
    assert.deepEqual(parseLoginCacheFile(JSON.stringify(VALID)), VALID);
    const more = { ...VALID, signInRegion: 'eu-west-1', idToken: 'x', other: 1 };
    assert.deepEqual(parseLoginCacheFile(JSON.stringify(more)), more);
  });

  it('refuses what is not JSON', () => {
    for (const text of ['{', '']) assert.throws(() => parseLoginCacheFile(text), SyntaxError);
  });

  const refused: Array<[string, string, string]> = [
    ['null', 'null', 'the cache file is not a JSON object'],
    ['a string', '"x"', 'the cache file is not a JSON object'],
    ['accessToken not an object', JSON.stringify({ ...VALID, accessToken: 'x' }), 'the cache file has no accessToken'],
    ['expiresAt a number', JSON.stringify({ ...VALID, accessToken: { ...VALID.accessToken, expiresAt: 1 } }), 'the cache file has no accessToken.expiresAt'],
    ...(['accessKeyId', 'secretAccessKey', 'sessionToken', 'accountId', 'expiresAt'].map((key) => [`no accessToken.${key}`, JSON.stringify(without(['accessToken', key])), `the cache file has no accessToken.${key}`]) as Array<[string, string, string]>),
    ...(['accessToken', 'clientId', 'refreshToken', 'dpopKey'].map((key) => [`no ${key}`, JSON.stringify(without([key])), `the cache file has no ${key}`]) as Array<[string, string, string]>),
  ];
  for (const [name, text, message] of refused) {
    it(`refuses ${name}, naming what is wrong`, () => assert.throws(() => parseLoginCacheFile(text), { message }));
  }
});

describe('toProcessCredentials', () => {
  it('is credential_process version 1, its members in the documented order', () => {
    assert.equal(
      JSON.stringify(toProcessCredentials(VALID)),
      '{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2026-11-23T20:15:00Z"}',
    );
  });
});
