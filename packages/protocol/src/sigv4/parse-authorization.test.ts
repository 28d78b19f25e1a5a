import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHeaders, parseQuery } from './canonical-request.ts';
import { SigV4Error, type SigV4ErrorCode } from './errors.ts';
import { parseAuthorizationHeader, parsePresignedQuery, parseSigV4Authorization } from './parse-authorization.ts';

const SIG = 'a'.repeat(64);
const GOOD = `AWS4-HMAC-SHA256 Credential=ASIAKEYLESS/20261123/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${SIG}`;

const fails = (fn: () => unknown, code: SigV4ErrorCode = 'IncompleteSignature') =>
  assert.throws(fn, (error: unknown) => error instanceof SigV4Error && error.code === code);

describe('parseAuthorizationHeader', () => {
  it('parses the header the SDKs send', () => {
    assert.deepEqual(parseAuthorizationHeader(GOOD), {
      presigned: false,
      credential: { accessKeyId: 'ASIAKEYLESS', scope: { date: '20261123', region: 'us-east-1', service: 'sts' } },
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: SIG,
    });
  });

  it('accepts components in another order and without the space after commas', () => {
    const reordered = `AWS4-HMAC-SHA256 Signature=${SIG},SignedHeaders=host,Credential=AKID/20261123/us-east-1/sts/aws4_request`;
    assert.equal(parseAuthorizationHeader(reordered).signature, SIG);
  });

  it('reads the SDK spelling as it reads any other spelling of the same components', () => {
    const parsed = parseAuthorizationHeader(GOOD);
    for (const variant of [`  ${GOOD}\t`, GOOD.replaceAll(', ', ',  '), GOOD.replace('AWS4-HMAC-SHA256 ', 'AWS4-HMAC-SHA256   ')]) {
      assert.deepEqual(parseAuthorizationHeader(variant), parsed, JSON.stringify(variant));
    }
  });

  const malformed: [string, string][] = [
    ['empty', ''],
    ['algorithm only', 'AWS4-HMAC-SHA256'],
    ['SigV2', 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg='],
    ['SigV4a', GOOD.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')],
    ['lower-case algorithm', GOOD.replace('AWS4-HMAC-SHA256', 'aws4-hmac-sha256')],
    ['missing Signature', GOOD.replace(/, Signature=\w+/, '')],
    ['missing Credential', GOOD.replace(/Credential=\S+ /, '')],
    ['repeated component', `${GOOD}, SignedHeaders=host`],
    ['unknown component', `${GOOD}, Expires=1`],
    ['empty value', GOOD.replace(`Signature=${SIG}`, 'Signature=')],
    ['no equals sign', GOOD.replace('Signature=', 'Signature ')],
    ['no component name', GOOD.replace('Signature=', '=')],
    ['a blank inside a component name', GOOD.replace('Signature=', 'Sign ature=')],
    ['a blank inside a value', GOOD.replace('SignedHeaders=content-type;', 'SignedHeaders=content-type; ')],
    ['credential with 4 parts', GOOD.replace('/us-east-1/', '/')],
    ['credential with 6 parts', GOOD.replace('/sts/', '/sts/x/')],
    ['empty access key id', GOOD.replace('ASIAKEYLESS', '')],
    ['access key id with a dash', GOOD.replace('ASIAKEYLESS', 'ASIA-KEYLESS')],
    ['impossible scope date', GOOD.replace('20261123', '20261131')],
    ['scope date with dashes', GOOD.replace('20261123', '2026-11-23')],
    ['upper-case region', GOOD.replace('us-east-1', 'US-EAST-1')],
    ['wrong terminator', GOOD.replace('aws4_request', 'aws4_requests')],
    ['unsorted SignedHeaders', GOOD.replace('content-type;host', 'host;content-type')],
    ['duplicate signed header', GOOD.replace('content-type;host', 'host;host')],
    ['upper-case signed header', GOOD.replace('content-type', 'Content-Type')],
    ['empty signed header', GOOD.replace('content-type;host', ';host')],
    ['short signature', GOOD.replace(SIG, 'a'.repeat(63))],
    ['upper-case signature', GOOD.replace(SIG, 'A'.repeat(64))],
    ['non-hex signature', GOOD.replace(SIG, 'g'.repeat(64))],
    ['a comma inside the credential', GOOD.replace('ASIAKEYLESS/', 'ASIA,KEYLESS/')],
    ['a line break inside the signed headers', GOOD.replace('host;', 'host;\n')],
    ['a repeated Signature after the SDK spelling', `${GOOD}, Signature=${SIG}`],
  ];
  for (const [name, value] of malformed) {
    it(`refuses ${name} with IncompleteSignature`, () => fails(() => parseAuthorizationHeader(value)));
  }
});

describe('parsePresignedQuery', () => {
  const QUERY =
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261123%2Fus-east-1%2Fsts%2Faws4_request' +
    `&X-Amz-Date=20261123T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIG}&X-Amz-Security-Token=tok%2Ben`;

  it('parses the presigned parameters', () => {
    assert.deepEqual(parsePresignedQuery(parseQuery(QUERY)), {
      presigned: true,
      credential: { accessKeyId: 'AKID', scope: { date: '20261123', region: 'us-east-1', service: 'sts' } },
      signedHeaders: ['host'],
      signature: SIG,
      amzDate: '20261123T120000Z',
      expiresSeconds: 900,
      securityToken: 'tok+en',
    });
  });

  const broken: [string, string][] = [
    ['a missing X-Amz-Date', QUERY.replace('&X-Amz-Date=20261123T120000Z', '')],
    ['a missing X-Amz-Expires', QUERY.replace('&X-Amz-Expires=900', '')],
    ['a repeated parameter', `${QUERY}&X-Amz-Expires=60`],
    ['another algorithm', QUERY.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')],
    ['a malformed X-Amz-Date', QUERY.replace('20261123T120000Z', '2026-11-23T12:00:00Z')],
    ['a negative X-Amz-Expires', QUERY.replace('X-Amz-Expires=900', 'X-Amz-Expires=-1')],
    ['a fractional X-Amz-Expires', QUERY.replace('X-Amz-Expires=900', 'X-Amz-Expires=9.5')],
  ];
  for (const [name, value] of broken) {
    it(`refuses ${name} with IncompleteSignature`, () => fails(() => parsePresignedQuery(parseQuery(value))));
  }
});

describe('parseSigV4Authorization', () => {
  const headers = (record: Record<string, string | string[]>) => normalizeHeaders(record);

  it('picks the header or the query form', () => {
    assert.equal(parseSigV4Authorization(headers({ Authorization: GOOD }), []).presigned, false);
    const query = parseQuery(`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261123%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261123T120000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIG}`);
    assert.equal(parseSigV4Authorization(headers({}), query).presigned, true);
  });

  it('refuses a request without either with MissingAuthenticationToken', () => {
    fails(() => parseSigV4Authorization(headers({ host: 'x' }), parseQuery('Action=GetCallerIdentity')), 'MissingAuthenticationToken');
  });

  it('refuses both at once with InvalidRequest, and a repeated Authorization header', () => {
    fails(() => parseSigV4Authorization(headers({ authorization: GOOD }), parseQuery(`X-Amz-Signature=${SIG}`)), 'InvalidRequest');
    fails(() => parseSigV4Authorization(headers({ authorization: [GOOD, GOOD] }), []));
  });

  it('treats any one presigned marker as the query form, so a partial one is incomplete', () => {
    fails(() => parseSigV4Authorization(headers({}), parseQuery('X-Amz-Credential=AKID%2F20261123%2Fus-east-1%2Fsts%2Faws4_request')));
  });
});
