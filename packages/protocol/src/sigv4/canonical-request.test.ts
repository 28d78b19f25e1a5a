import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalUri,
  normalizeHeaders,
  parseQuery,
  uriEncode,
} from './canonical-request.ts';
import { SigV4Error } from './errors.ts';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './string-to-sign.ts';

describe('uriEncode', () => {
  it('keeps only the RFC 3986 unreserved set, upper-case hex, UTF-8', () => {
    assert.equal(uriEncode('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(uriEncode(" !\"#$%&'()*+,/:;=?@[]"), '%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D');
    assert.equal(uriEncode('\u1234é'), '%E1%88%B4%C3%A9');
    assert.equal(uriEncode(Uint8Array.of(0xff, 0x00)), '%FF%00');
  });
});

describe('canonical query string', () => {
  const canonical = (raw: string, presigned = false) => canonicalQueryString(parseQuery(raw), { presigned });

  it('sorts by encoded name, then by value; a bare name gets "="', () => {
    assert.equal(canonical('b=2&a=2&a=1&acl'), 'a=1&a=2&acl=&b=2');
    // By name first: "Param" sorts before "Param-3" although "Param-" < "Param=".
    assert.equal(canonical('Param-3=c&Param=b'), 'Param=b&Param-3=c');
  });

  it('re-encodes strictly whatever spelling the client used', () => {
    assert.equal(canonical('k=a%2fb&k2=%7e&k3=%E1%88%B4&k4=a+b&k5=%2B'), 'k=a%2Fb&k2=~&k3=%E1%88%B4&k4=a%20b&k5=%2B');
    assert.equal(canonical('bin=%FF%FE'), 'bin=%FF%FE');
  });

  it('leaves out X-Amz-Signature only for a presigned request', () => {
    assert.equal(canonical('X-Amz-Signature=abc&a=1', true), 'a=1');
    assert.equal(canonical('X-Amz-Signature=abc&a=1', false), 'X-Amz-Signature=abc&a=1');
  });

  it('refuses malformed percent-encoding with InvalidRequest', () => {
    for (const raw of ['a=%zz', 'a=%4', 'a%=1']) {
      assert.throws(() => parseQuery(raw), (error: unknown) => error instanceof SigV4Error && error.code === 'InvalidRequest');
    }
  });

  it('decodes parameters for reading', () => {
    assert.deepEqual(
      parseQuery('X-Amz-Credential=AKID%2F20261123%2Fus-east-1%2Fsts%2Faws4_request').map(({ name, value }) => [name, value]),
      [['X-Amz-Credential', 'AKID/20261123/us-east-1/sts/aws4_request']],
    );
  });
});

describe('canonical URI', () => {
  it('normalises and encodes a second time for services other than S3', () => {
    assert.equal(canonicalUri('/a/./b/../c//d/', { doubleEncode: true }), '/a/c/d/');
    assert.equal(canonicalUri('/my%20fn/x%2Fy', { doubleEncode: true }), '/my%2520fn/x%252Fy');
    assert.equal(canonicalUri('/..', { doubleEncode: true }), '/');
    assert.equal(canonicalUri('', { doubleEncode: true }), '/');
  });

  it('keeps an S3 path exactly as sent', () => {
    assert.equal(canonicalUri('/bucket//a/../my%20key', { doubleEncode: false }), '/bucket//a/../my%20key');
  });
});

describe('canonical headers', () => {
  it('lower-cases names and keeps repeated values in order', () => {
    const headers = normalizeHeaders({ 'X-Foo': ['b', 'a'], 'x-foo': 'c', Host: 'h', skipped: undefined });
    assert.deepEqual([...headers], [['x-foo', ['b', 'a', 'c']], ['host', ['h']]]);
  });

  it("reads Node's rawHeaders as it reads headersDistinct", () => {
    const raw = ['Host', 'h', 'X-Foo', 'b', 'content-type', 'text/plain', 'x-foo', ' a ', 'X-FOO', ''];
    const distinct = { host: ['h'], 'x-foo': ['b', ' a ', ''], 'content-type': ['text/plain'] };
    assert.deepEqual([...normalizeHeaders(raw)], [...normalizeHeaders(distinct)]);
  });

  it('trims values, collapses runs of spaces, joins repeats with ","', () => {
    assert.equal(canonicalHeaderValue(['  a   b  c ', '\tx\t\ty ']), 'a b c,x y');
    assert.equal(canonicalHeaderValue(['"a   b   c"']), '"a b c"');
    assert.equal(canonicalHeaderValue(['']), '');
    for (const one of [' a', 'a ', 'a  b', 'a\tb', ' ', 'a b']) assert.equal(canonicalHeaderValue([one]), one.replace(/[ \t]+/g, ' ').trim(), JSON.stringify(one));
  });
});

describe('dates', () => {
  it('formats and strictly parses X-Amz-Date', () => {
    const date = new Date('2026-11-23T12:34:56.789Z');
    assert.equal(formatAmzDate(date), '20261123T123456Z');
    assert.equal(parseAmzDate('20261123T123456Z')?.toISOString(), '2026-11-23T12:34:56.000Z');
    for (const bad of ['20261323T000000Z', '20260231T000000Z', '20261123T246000Z', '2026-11-23T12:34:56Z', '20261123T123456', ' 20261123T123456Z', '00991123T000000Z', '20261231T235960Z']) {
      assert.equal(parseAmzDate(bad), undefined, bad);
    }
  });

  it('knows leap years: 29 February exists in 2024 and 2000, not in 2026 or 2100', () => {
    for (const year of ['2024', '2000']) assert.equal(parseAmzDate(`${year}0229T235959Z`)?.toISOString(), `${year}-02-29T23:59:59.000Z`);
    for (const year of ['2026', '2100', '1900']) assert.equal(parseAmzDate(`${year}0229T000000Z`), undefined, year);
    assert.equal(parseAmzDate('20261130T000000Z')?.toISOString(), '2026-11-30T00:00:00.000Z');
    assert.equal(parseAmzDate('20261131T000000Z'), undefined);
  });

  it('accepts only IMF-fixdate in the Date header', () => {
    assert.equal(parseHttpDate('Mon, 23 Nov 2026 12:00:00 GMT')?.toISOString(), '2026-11-23T12:00:00.000Z');
    for (const bad of ['Sun, 23 Nov 2026 12:00:00 GMT', 'Monday, 23-Nov-26 12:00:00 GMT', 'Mon Nov 23 12:00:00 2026', '2026-11-23T12:00:00Z']) {
      assert.equal(parseHttpDate(bad), undefined, bad);
    }
  });
});
