// verifySigV4 against requests signed by the official signer (@smithy/signature-v4, what every
// @aws-sdk client uses), then the same requests tampered with: each must fail with its wire code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SigV4Error, type SigV4ErrorCode } from './errors.ts';
import { oracle, receivedRequestOf, type ReceivedRequest, type SdkRequest } from './testing.ts';
import { verifySigV4, type VerifySigV4Options } from './verify.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const SESSION = {
  accessKeyId: 'ASIAKEYLESSTEST00001',
  secretAccessKey: 'kEyLeSs/SeCrEt+AcCeSs/KeY0123456789ABCDE',
  sessionToken: 'IQoJb3JpZ2luX2VjEKr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+test/token==',
};
const LONG_TERM = { accessKeyId: 'AKIAKEYLESSTEST00002', secretAccessKey: 'long/term+secret/key/0123456789abcdefghij' };
const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

const lookupSecret: VerifySigV4Options['lookupSecret'] = async (id) => {
  if (id === SESSION.accessKeyId) return { secretAccessKey: SESSION.secretAccessKey, sessionToken: SESSION.sessionToken };
  if (id === LONG_TERM.accessKeyId) return { secretAccessKey: LONG_TERM.secretAccessKey };
  if (id === 'ASIAEXPIREDKEY000003') return { expired: true };
  return undefined;
};

const options = (overrides: Partial<VerifySigV4Options> = {}): VerifySigV4Options => ({
  now: NOW,
  service: 'sts',
  regions: ['us-east-1'],
  lookupSecret,
  ...overrides,
});

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** `aws sts get-caller-identity` as the SDK signs it (PROTOCOL.md §4). */
function stsPost(overrides: Partial<SdkRequest> = {}): SdkRequest {
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: 'sts.keyless.test',
    path: '/',
    query: {},
    headers: { host: 'sts.keyless.test', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: STS_BODY,
    ...overrides,
  };
}

async function signed(
  request: SdkRequest = stsPost(),
  { credentials = SESSION as Credentials, signingDate = NOW, service = 'sts', region = 'us-east-1', uriEscapePath = true, applyChecksum = true, unsignableHeaders = undefined as Set<string> | undefined } = {},
): Promise<ReceivedRequest> {
  const signer = oracle({ ...credentials, service, region, uriEscapePath, applyChecksum });
  return receivedRequestOf(await signer.sign(request, { signingDate, ...(unsignableHeaders ? { unsignableHeaders } : {}) }));
}

async function presigned(
  request: SdkRequest,
  { credentials = SESSION as Credentials, signingDate = NOW, expiresIn = 900, service = 'sts', uriEscapePath = true } = {},
): Promise<ReceivedRequest> {
  const signer = oracle({ ...credentials, service, uriEscapePath });
  return receivedRequestOf(await signer.presign(request, { signingDate, expiresIn }));
}

const stsGet = (): SdkRequest =>
  stsPost({ method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: 'sts.keyless.test' }, body: '' });

async function rejectsWith(promise: Promise<unknown>, code: SigV4ErrorCode, message?: RegExp): Promise<SigV4Error> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => ((caught = error), true));
  assert.ok(caught instanceof SigV4Error, `expected a SigV4Error, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

const withHeaders = (request: ReceivedRequest, headers: Record<string, string | string[] | undefined>): ReceivedRequest => ({
  ...request,
  headers: { ...request.headers, ...headers },
});

const replaceQuery = (request: ReceivedRequest, name: string, value: string): ReceivedRequest => {
  const params = new URLSearchParams(request.query);
  params.set(name, value);
  return { ...request, query: params.toString() };
};

describe('verifySigV4: requests signed by the official signer', () => {
  it('accepts the STS form POST with a session token', async () => {
    const verified = await verifySigV4(await signed(), options());
    assert.deepEqual(
      { ...verified, signedAt: verified.signedAt.toISOString() },
      { accessKeyId: SESSION.accessKeyId, region: 'us-east-1', service: 'sts', signedAt: NOW.toISOString(), presigned: false },
    );
  });

  it('accepts a long-term key without a session token', async () => {
    const verified = await verifySigV4(await signed(stsPost(), { credentials: LONG_TERM }), options());
    assert.equal(verified.accessKeyId, LONG_TERM.accessKeyId);
  });

  it('accepts a signature without x-amz-content-sha256 (the body is hashed)', async () => {
    const request = await signed(stsPost(), { applyChecksum: false });
    assert.equal(request.headers['x-amz-content-sha256'], undefined);
    await verifySigV4(request, options());
  });

  it('accepts any region when none is configured', async () => {
    const request = await signed(stsPost(), { region: 'eu-central-1' });
    assert.equal((await verifySigV4(request, options({ regions: undefined }))).region, 'eu-central-1');
  });

  it('accepts a presigned GET with and without a session token', async () => {
    const withToken = await presigned(stsGet());
    assert.match(withToken.query, /X-Amz-Security-Token=/);
    const verified = await verifySigV4(withToken, options());
    assert.equal(verified.presigned, true);
    assert.equal(verified.signedAt.getTime(), NOW.getTime());
    await verifySigV4(await presigned(stsGet(), { credentials: LONG_TERM }), options());
  });

  it('double-encodes the wire path for services other than S3', async () => {
    const request = await signed(stsPost({ path: '/prod/my%20fn/a%2Fb', headers: { host: 'api.keyless.test' } }), { service: 'execute-api' });
    assert.equal(request.path, '/prod/my%20fn/a%2Fb');
    await verifySigV4(request, options({ service: 'execute-api' }));
  });

  it('accepts S3-style UNSIGNED-PAYLOAD only when the caller allows it', async () => {
    const s3Put = stsPost({
      method: 'PUT',
      path: '/bucket/my%20key%2B1.txt',
      headers: { host: 's3.keyless.test', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: 'object bytes',
    });
    const request = await signed(s3Put, { service: 's3', uriEscapePath: false });
    const s3 = options({ service: 's3' });
    assert.equal((await verifySigV4(request, { ...s3, allowUnsignedPayload: true })).service, 's3');
    await rejectsWith(verifySigV4(request, s3), 'InvalidRequest', /UNSIGNED-PAYLOAD/);
  });

  it('accepts an S3-style presigned URL whose payload is UNSIGNED-PAYLOAD', async () => {
    // The JS SDK's S3 presigner sets this header; the signer hoists it into the query.
    const get = stsGet();
    const request = await presigned(
      { ...get, path: '/bucket/key', query: {}, headers: { host: 's3.keyless.test', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { service: 's3', uriEscapePath: false },
    );
    assert.match(request.query, /x-amz-content-sha256=UNSIGNED-PAYLOAD/);
    await verifySigV4(request, options({ service: 's3', allowUnsignedPayload: true }));
  });

  it('accepts the HTTP Date header when X-Amz-Date is absent', async () => {
    // Written out by hand from the spec, with the official signer doing the HMAC chain.
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const date = 'Mon, 23 Nov 2026 12:00:00 GMT';
    const creq = ['POST', '/', '', `date:${date}`, 'host:sts.keyless.test', '', 'date;host', sha256(STS_BODY)].join('\n');
    const sts = ['AWS4-HMAC-SHA256', '20261123T120000Z', '20261123/us-east-1/sts/aws4_request', sha256(creq)].join('\n');
    const signature = await oracle({ ...LONG_TERM, service: 'sts' }).sign(sts, { signingDate: NOW });
    const request: ReceivedRequest = {
      method: 'POST',
      path: '/',
      query: '',
      headers: {
        host: 'sts.keyless.test',
        date,
        authorization: `AWS4-HMAC-SHA256 Credential=${LONG_TERM.accessKeyId}/20261123/us-east-1/sts/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
      },
      body: Buffer.from(STS_BODY),
    };
    assert.equal((await verifySigV4(request, options())).signedAt.getTime(), NOW.getTime());
    await rejectsWith(verifySigV4(withHeaders(request, { date: 'Mon, 23 Nov 2026 12:00:01 GMT' }), options()), 'SignatureDoesNotMatch');
    await rejectsWith(verifySigV4(withHeaders(request, { date: '2026-11-23T12:00:00Z' }), options()), 'IncompleteSignature');
  });

  it('tolerates the X-Amz-Cf-Id header CloudFront adds in front of an origin', async () => {
    await verifySigV4(withHeaders(await signed(), { 'x-amz-cf-id': 'abc==' }), options());
  });

  it('accepts the boundaries: exactly 5 minutes of skew, a presigned URL in its last second', async () => {
    await verifySigV4(await signed(stsPost(), { signingDate: new Date(NOW.getTime() - 300_000) }), options());
    await verifySigV4(await signed(stsPost(), { signingDate: new Date(NOW.getTime() + 300_000) }), options());
    const url = await presigned(stsGet(), { expiresIn: 60 });
    await verifySigV4(url, options({ now: new Date(NOW.getTime() + 60_000) }));
  });
});

describe('verifySigV4: tampering and policy failures', () => {
  it('changed body → SignatureDoesNotMatch (with and without x-amz-content-sha256)', async () => {
    const body = Buffer.from('Action=GetCallerIdentity&Version=2011-06-16');
    await rejectsWith(verifySigV4({ ...(await signed()), body }, options()), 'SignatureDoesNotMatch', /x-amz-content-sha256/);
    const plain = await signed(stsPost(), { applyChecksum: false });
    await rejectsWith(verifySigV4({ ...plain, body }, options()), 'SignatureDoesNotMatch', /signature we calculated/);
  });

  it('changed signed header, method or path → SignatureDoesNotMatch', async () => {
    const request = await signed();
    await rejectsWith(verifySigV4(withHeaders(request, { 'content-type': 'application/json' }), options()), 'SignatureDoesNotMatch');
    await rejectsWith(verifySigV4(withHeaders(request, { host: 'evil.test' }), options()), 'SignatureDoesNotMatch');
    await rejectsWith(verifySigV4({ ...request, method: 'PUT' }, options()), 'SignatureDoesNotMatch');
    await rejectsWith(verifySigV4({ ...request, path: '/other' }, options()), 'SignatureDoesNotMatch');
  });

  it('signed header removed in transit → SignatureDoesNotMatch', async () => {
    await rejectsWith(
      verifySigV4(withHeaders(await signed(), { 'content-type': undefined }), options()),
      'SignatureDoesNotMatch',
      /content-type/,
    );
  });

  it('added unsigned x-amz-* header → AccessDenied', async () => {
    await rejectsWith(
      verifySigV4(withHeaders(await signed(), { 'x-amz-meta-role': 'admin' }), options()),
      'AccessDenied',
      /x-amz-meta-role/,
    );
    const presignedUrl = await presigned(stsGet());
    await rejectsWith(verifySigV4(withHeaders(presignedUrl, { 'x-amz-date': '20261123T120000Z' }), options()), 'AccessDenied');
  });

  it('host not signed → IncompleteSignature', async () => {
    const request = await signed(stsPost(), { unsignableHeaders: new Set(['host']) });
    await rejectsWith(verifySigV4(request, options()), 'IncompleteSignature', /Host/);
  });

  it('changed query → SignatureDoesNotMatch (header and presigned forms)', async () => {
    const request = await signed(stsGet());
    await rejectsWith(verifySigV4(replaceQuery(request, 'Action', 'AssumeRole'), options()), 'SignatureDoesNotMatch');
    await rejectsWith(verifySigV4({ ...request, query: `${request.query}&extra=1` }, options()), 'SignatureDoesNotMatch');
    const url = await presigned(stsGet());
    await rejectsWith(verifySigV4(replaceQuery(url, 'Action', 'AssumeRole'), options()), 'SignatureDoesNotMatch');
  });

  it('date outside the 5-minute skew, either way → RequestExpired', async () => {
    const late = await signed(stsPost(), { signingDate: new Date(NOW.getTime() - 301_000) });
    await rejectsWith(verifySigV4(late, options()), 'RequestExpired', /^Signature expired: 20261123T115459Z is now earlier than 20261123T115500Z/);
    const early = await signed(stsPost(), { signingDate: new Date(NOW.getTime() + 301_000) });
    await rejectsWith(verifySigV4(early, options()), 'RequestExpired', /^Signature not yet current/);
    await rejectsWith(verifySigV4(early, options({ maxSkewSeconds: 60 })), 'RequestExpired');
  });

  it('region not allowed → SignatureDoesNotMatch', async () => {
    await rejectsWith(
      verifySigV4(await signed(stsPost(), { region: 'eu-west-1' }), options()),
      'SignatureDoesNotMatch',
      /scoped to a valid region, not 'eu-west-1'/,
    );
  });

  it('wrong service → SignatureDoesNotMatch', async () => {
    await rejectsWith(
      verifySigV4(await signed(stsPost(), { service: 'iam' }), options()),
      'SignatureDoesNotMatch',
      /scoped to correct service: 'sts'/,
    );
  });

  it('unknown key id → InvalidClientTokenId; expired credential → ExpiredToken', async () => {
    const unknown = { accessKeyId: 'ASIAUNKNOWNKEY000004', secretAccessKey: 'x' };
    await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: unknown }), options()), 'InvalidClientTokenId');
    const expired = { accessKeyId: 'ASIAEXPIREDKEY000003', secretAccessKey: 'x', sessionToken: 't' };
    await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: expired }), options()), 'ExpiredToken');
  });

  it('wrong secret → SignatureDoesNotMatch, with debug detail that omits the session token', async () => {
    const forged = { ...SESSION, secretAccessKey: 'not-the-secret' };
    const error = await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: forged }), options()), 'SignatureDoesNotMatch');
    assert.match(error.debug?.canonicalRequest ?? '', /^POST\n\/\n\n/);
    assert.match(error.debug?.canonicalRequest ?? '', /x-amz-security-token:<redacted>/);
    assert.ok(!JSON.stringify(error.debug).includes(SESSION.sessionToken));
    assert.match(error.debug?.stringToSign ?? '', /^AWS4-HMAC-SHA256\n20261123T120000Z\n20261123\/us-east-1\/sts\/aws4_request\n/);
  });

  it('wrong, missing or unexpected session token → InvalidClientTokenId', async () => {
    const wrongToken = { ...SESSION, sessionToken: `${SESSION.sessionToken}x` };
    await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: wrongToken }), options()), 'InvalidClientTokenId');
    const noToken = { accessKeyId: SESSION.accessKeyId, secretAccessKey: SESSION.secretAccessKey };
    await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: noToken }), options()), 'InvalidClientTokenId');
    await rejectsWith(verifySigV4(await presigned(stsGet(), { credentials: noToken }), options()), 'InvalidClientTokenId');
    const tokenForLongTerm = { ...LONG_TERM, sessionToken: 'anything' };
    await rejectsWith(verifySigV4(await signed(stsPost(), { credentials: tokenForLongTerm }), options()), 'InvalidClientTokenId');
  });

  it('presigned URL used after its expiry → RequestExpired', async () => {
    const url = await presigned(stsGet(), { expiresIn: 60 });
    await rejectsWith(verifySigV4(url, options({ now: new Date(NOW.getTime() + 61_000) })), 'RequestExpired', /expired/);
    const future = await presigned(stsGet(), { signingDate: new Date(NOW.getTime() + 301_000) });
    await rejectsWith(verifySigV4(future, options()), 'RequestExpired', /not yet current/);
  });

  it('X-Amz-Expires outside 1..604800 (or the configured ceiling) → IncompleteSignature', async () => {
    const url = await presigned(stsGet(), { expiresIn: 3600 });
    await rejectsWith(verifySigV4(replaceQuery(url, 'X-Amz-Expires', '604801'), options()), 'IncompleteSignature', /604800/);
    await rejectsWith(verifySigV4(replaceQuery(url, 'X-Amz-Expires', '0'), options()), 'IncompleteSignature');
    await rejectsWith(verifySigV4(url, options({ maxPresignedExpiresSeconds: 900 })), 'IncompleteSignature', /900/);
  });

  it('credential scope date ≠ X-Amz-Date date → SignatureDoesNotMatch', async () => {
    const justAfterMidnight = new Date('2026-11-23T00:01:00Z');
    const request = await signed(stsPost(), { signingDate: justAfterMidnight });
    await rejectsWith(
      verifySigV4(withHeaders(request, { 'x-amz-date': '20261122T235930Z' }), options({ now: justAfterMidnight })),
      'SignatureDoesNotMatch',
      /Date in Credential scope does not match/,
    );
  });

  it('malformed Authorization headers → IncompleteSignature', async () => {
    const request = await signed();
    const authorization = request.headers.authorization as string;
    const variants = [
      'AWS4-HMAC-SHA256',
      authorization.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'),
      authorization.replace(/, Signature=[0-9a-f]+/, ''),
      authorization.replace('Credential=', 'Credentials='),
      authorization.replace('/aws4_request', '/aws4_reqest'),
      authorization.replace('/20261123/', '/2026-11-23/'),
      authorization.replace('SignedHeaders=', 'SignedHeaders=Host;'),
      authorization.replace(/Signature=([0-9a-f]+)/, (_, sig: string) => `Signature=${sig.toUpperCase()}`),
      `${authorization}, Signature=${'0'.repeat(64)}`,
      'Bearer abc.def.ghi',
    ];
    for (const variant of variants) {
      await rejectsWith(verifySigV4(withHeaders(request, { authorization: variant }), options()), 'IncompleteSignature');
    }
    await rejectsWith(verifySigV4(withHeaders(request, { authorization: [authorization, authorization] }), options()), 'IncompleteSignature');
    await rejectsWith(verifySigV4(withHeaders(request, { 'x-amz-date': 'yesterday' }), options()), 'IncompleteSignature');
    await rejectsWith(verifySigV4(withHeaders(request, { 'x-amz-date': undefined }), options()), 'IncompleteSignature', /X-Amz-Date/);
  });

  it('no signature → MissingAuthenticationToken; header and query signature at once → InvalidRequest', async () => {
    const request = await signed();
    await rejectsWith(verifySigV4(withHeaders(request, { authorization: undefined }), options()), 'MissingAuthenticationToken');
    const url = await presigned(stsGet());
    await rejectsWith(
      verifySigV4(withHeaders(url, { authorization: request.headers.authorization as string }), options()),
      'InvalidRequest',
    );
  });
});
