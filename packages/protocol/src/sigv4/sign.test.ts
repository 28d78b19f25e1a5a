// Our signer against the official one (@smithy/signature-v4) on the same input, and round trips
// through verifySigV4.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presignUrl, signRequest, type SignRequestInput } from './sign.ts';
import { createSigningKeyMemo, deriveSigningKey, signingKeysOf } from './signing-key.ts';
import { getSigningKey } from '@smithy/signature-v4';
import { NodeSha256, oracle, SUITE } from './testing.ts';
import { verifySigV4, type SigV4Request } from './verify.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const CREDENTIALS = {
  accessKeyId: 'ASIAKEYLESSTEST00001',
  secretAccessKey: 'kEyLeSs/SeCrEt+AcCeSs/KeY0123456789ABCDE',
  sessionToken: 'IQoJb3JpZ2luX2VjEKr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+test/token==',
};
const STS: SignRequestInput = {
  method: 'POST',
  url: 'https://sts.keyless.test:8443/',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=GetCallerIdentity&Version=2011-06-15',
  credentials: CREDENTIALS,
  region: 'us-east-1',
  service: 'sts',
  now: NOW,
};

const lookupSecret = async (id: string) =>
  id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.sessionToken } : undefined;

/** What a server receives for a URL fetched with these headers. */
function received(url: string, method: string, headers: Record<string, string>, body = ''): SigV4Request {
  const parsed = new URL(url);
  return {
    method,
    path: parsed.pathname,
    query: parsed.search.slice(1),
    headers: { host: parsed.host, ...headers },
    body: Buffer.from(body),
  };
}

describe('signRequest', () => {
  it('produces the official signer’s headers for the STS call', async () => {
    const ours = signRequest(STS);
    const official = await oracle({ ...CREDENTIALS, service: 'sts' }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'sts.keyless.test',
        port: 8443,
        path: '/',
        query: {},
        headers: { host: 'sts.keyless.test:8443', 'content-type': STS.headers!['content-type']! },
        body: STS.body,
      },
      { signingDate: NOW },
    );
    assert.deepEqual(ours, {
      authorization: official.headers.authorization,
      'x-amz-date': official.headers['x-amz-date'],
      'x-amz-content-sha256': official.headers['x-amz-content-sha256'],
      'x-amz-security-token': CREDENTIALS.sessionToken,
    });
    assert.match(ours.authorization, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
  });

  it('matches the official signer on an encoded path and query', async () => {
    const input: SignRequestInput = { ...STS, method: 'GET', url: 'https://api.keyless.test/a%20b/c?b=2&a=x%2By&a=1', body: undefined, headers: {}, service: 'execute-api' };
    const official = await oracle({ ...CREDENTIALS, service: 'execute-api' }).sign(
      { method: 'GET', protocol: 'https:', hostname: 'api.keyless.test', path: '/a%20b/c', query: { b: '2', a: ['x+y', '1'] }, headers: { host: 'api.keyless.test' } },
      { signingDate: NOW },
    );
    assert.equal(signRequest(input).authorization, official.headers.authorization);
  });

  it('round-trips through verifySigV4, and signs UNSIGNED-PAYLOAD for S3 when asked', async () => {
    const headers = signRequest(STS);
    const request = received(String(STS.url), 'POST', { ...STS.headers, ...headers } as Record<string, string>, STS.body as string);
    const verified = await verifySigV4(request, { now: NOW, service: 'sts', lookupSecret });
    assert.equal(verified.accessKeyId, CREDENTIALS.accessKeyId);

    const s3 = { ...STS, method: 'PUT', url: 'https://s3.keyless.test/bucket/my%20key', service: 's3', unsignedPayload: true, headers: {} };
    const s3Headers = signRequest(s3);
    assert.equal(s3Headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
    const s3Request = received(s3.url, 'PUT', { ...s3Headers } as Record<string, string>, 'bytes');
    await verifySigV4(s3Request, { now: NOW, service: 's3', lookupSecret, allowUnsignedPayload: true });
  });

  it('refuses headers it generates itself', () => {
    assert.throws(() => signRequest({ ...STS, headers: { 'X-Amz-Date': '20261123T120000Z' } }), TypeError);
  });

  it('omits x-amz-security-token for long-term keys', () => {
    const { sessionToken: _, ...longTerm } = CREDENTIALS;
    const headers = signRequest({ ...STS, credentials: longTerm });
    assert.equal('x-amz-security-token' in headers, false);
    assert.match(headers.authorization, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
  });
});

describe('presignUrl', () => {
  const GET = { ...STS, method: 'GET', url: 'https://sts.keyless.test/?Action=GetCallerIdentity&Version=2011-06-15', headers: {}, body: undefined, expiresInSeconds: 900 };

  it('produces the official signer’s signature', async () => {
    const url = new URL(presignUrl(GET));
    const official = await oracle({ ...CREDENTIALS, service: 'sts' }).presign(
      { method: 'GET', protocol: 'https:', hostname: 'sts.keyless.test', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: 'sts.keyless.test' } },
      { signingDate: NOW, expiresIn: 900 },
    );
    assert.equal(url.searchParams.get('X-Amz-Signature'), official.query?.['X-Amz-Signature']);
    assert.equal(url.searchParams.get('X-Amz-Security-Token'), CREDENTIALS.sessionToken);
    assert.equal(url.searchParams.get('X-Amz-Credential'), `${CREDENTIALS.accessKeyId}/20261123/us-east-1/sts/aws4_request`);
  });

  it('round-trips through verifySigV4 until it expires', async () => {
    const url = presignUrl(GET);
    const request = received(url, 'GET', {});
    assert.equal((await verifySigV4(request, { now: NOW, service: 'sts', lookupSecret })).presigned, true);
    await assert.rejects(
      verifySigV4(request, { now: new Date(NOW.getTime() + 901_000), service: 'sts', lookupSecret }),
      { code: 'RequestExpired' },
    );
  });

  it('refuses an expiry outside 1..604800 seconds', () => {
    for (const expiresInSeconds of [0, 604_801, 1.5]) assert.throws(() => presignUrl({ ...GET, expiresInSeconds }), RangeError);
  });
});

describe('signing key', () => {
  it('derives the key of AWS’s worked example, as the official signer does', async () => {
    // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
    const key = deriveSigningKey(SUITE.secretAccessKey, { date: '20120215', region: 'us-east-1', service: 'iam' });
    assert.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
    const official = await getSigningKey(NodeSha256, { accessKeyId: 'AKID', secretAccessKey: SUITE.secretAccessKey }, '20120215', 'us-east-1', 'iam');
    assert.equal(Buffer.from(official).toString('hex'), key.toString('hex'));
  });

  it('memoises per (secret, date, region, service), evicting the least recently used', () => {
    const memo = createSigningKeyMemo(2);
    const scope = { date: '20261123', region: 'us-east-1', service: 'sts' };
    const first = memo('secret-a', scope);
    assert.equal(memo('secret-a', scope), first);
    assert.deepEqual(memo('secret-a', scope), deriveSigningKey('secret-a', scope));
    assert.notDeepEqual(memo('secret-b', scope), first);
    assert.notDeepEqual(memo('secret-a', { ...scope, region: 'eu-west-1' }), first);
    // secret-a/us-east-1 was used least recently of the three, so it was evicted.
    assert.notEqual(memo('secret-a', scope), first);
  });

  it("keeps one secret's keys per scope: another date, region or service gets its own, evicting the oldest", () => {
    const keys = signingKeysOf('secret-a', 2);
    const scope = { date: '20261123', region: 'us-east-1', service: 'sts' };
    const first = keys(scope);
    assert.deepEqual(first, deriveSigningKey('secret-a', scope));
    assert.equal(keys({ ...scope }), first, 'an equal scope is served from what was derived');
    for (const other of [{ ...scope, date: '20261124' }, { ...scope, region: 'eu-west-1' }, { ...scope, service: 'iam' }]) {
      assert.deepEqual(keys(other), deriveSigningKey('secret-a', other));
      assert.notDeepEqual(keys(other), first);
    }
    assert.notEqual(keys(scope), first, 'three other scopes since: the first key was evicted, and derived again');
    assert.deepEqual(keys(scope), first);
    assert.notDeepEqual(signingKeysOf('secret-b')(scope), first, "another secret's keys are its own");
  });

  it("verification uses the stored credential's own keys, so keys of another secret cannot pass", async () => {
    const request = received(String(STS.url), 'POST', { ...STS.headers, ...signRequest(STS) } as Record<string, string>, STS.body as string);
    const stored = (signingKey: ReturnType<typeof signingKeysOf>) => async () => ({ ...CREDENTIALS, signingKey });
    await verifySigV4(request, { now: NOW, service: 'sts', lookupSecret: stored(signingKeysOf(CREDENTIALS.secretAccessKey)) });
    await assert.rejects(verifySigV4(request, { now: NOW, service: 'sts', lookupSecret: stored(signingKeysOf('another-secret')) }), {
      code: 'SignatureDoesNotMatch',
    });
  });
});
