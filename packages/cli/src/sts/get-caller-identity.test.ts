import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { verifySigV4, type VerifiedSigV4Request } from '@keyless/protocol';
import { unreachableUrl } from '../testing/fake-signin-server.ts';
import { CliError, ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { FORM_CONTENT_TYPE, GET_CALLER_IDENTITY_BODY, getCallerIdentity, parseGetCallerIdentityResponse } from './get-caller-identity.ts';
import { decodeEntities, xmlElementText } from './query-xml.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const CREDENTIALS = { accessKeyId: 'ASIAQWERTYUIOPASDFGH', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoKbGVzcw+token==' };

// PROTOCOL.md §4's answer, as Keyless and AWS send it.
const IDENTITY_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::111111111111:assumed-role/Admin/alice</Arn>
    <UserId>AROAEXAMPLEEXAMPLE:alice</UserId>
    <Account>111111111111</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
const errorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>r</RequestId>\n</ErrorResponse>\n`;

interface Seen {
  request: IncomingMessage;
  body: string;
  verified?: VerifiedSigV4Request;
  error?: unknown;
}

let server: Server;
let base: string;
let seen: Seen[];
let answer: { status: number; body: string; contentType?: string };
before(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const entry: Seen = { request, body: body.toString('utf8') };
    seen.push(entry);
    try {
      const [path, query = ''] = (request.url ?? '/').split('?') as [string, string?];
      entry.verified = await verifySigV4(
        { method: request.method ?? '', path, query, headers: request.headersDistinct, body },
        { now: NOW, service: 'sts', lookupSecret: async (id) => (id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.sessionToken } : undefined) },
      );
    } catch (error) {
      entry.error = error;
    }
    response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/xml' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  answer = { status: 200, body: IDENTITY_XML };
});

const call = (endpoint = base, region = 'eu-west-1') => getCallerIdentity({ fetch, endpoint, region, credentials: CREDENTIALS, now: NOW });
describe('getCallerIdentity', () => {
  it('sends what `aws sts get-caller-identity` sends, SigV4-signed for sts in the region', async () => {
    assert.deepEqual(await call(), { arn: 'arn:aws:sts::111111111111:assumed-role/Admin/alice', userId: 'AROAEXAMPLEEXAMPLE:alice', account: '111111111111' });
    const [one] = seen;
    assert.ok(one);
    assert.equal(one.error, undefined, String(one.error));
    assert.equal(one.request.method, 'POST');
    assert.equal(one.request.url, '/');
    assert.equal(one.body, 'Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(one.body, GET_CALLER_IDENTITY_BODY);
    assert.equal(one.request.headers['content-type'], FORM_CONTENT_TYPE);
    assert.equal(one.request.headers['x-amz-security-token'], CREDENTIALS.sessionToken);
    assert.equal(one.request.headers['x-amz-date'], '20261123T200000Z');
    assert.match(one.request.headers.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=ASIAQWERTYUIOPASDFGH\/20261123\/eu-west-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    assert.equal(one.verified?.region, 'eu-west-1');
    assert.equal(one.verified?.service, 'sts');
  });

  it('posts to the endpoint\'s path when it has one', async () => {
    await call(`${base}/keyless`);
    assert.equal(seen[0]?.request.url, '/keyless/');
    assert.equal(seen[0]?.error, undefined, String(seen[0]?.error));
  });

  it('the signature really covers the request: another secret does not verify', async () => {
    await getCallerIdentity({ fetch, endpoint: base, region: 'eu-west-1', credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' }, now: NOW });
    assert.match(String((seen[0]?.error as Error | undefined)?.name ?? ''), /SigV4Error/);
  });

  const errors: Array<[string, number, number, RegExp]> = [
    ['ExpiredToken', 403, ExitCode.Refused, /STS refused the request \(HTTP 403 ExpiredToken\): The security token included in the request is expired\nIs http:\/\/127\.0\.0\.1:\d+\/ the server that issued/],
    ['InvalidClientTokenId', 403, ExitCode.Refused, /InvalidClientTokenId/],
    ['SignatureDoesNotMatch', 403, ExitCode.Refused, /SignatureDoesNotMatch/],
    ['RequestExpired', 400, ExitCode.Refused, /clock/],
    ['Throttling', 500, ExitCode.Failure, /Throttling/],
  ];
  for (const [code, status, exitCode, message] of errors) {
    it(`turns <ErrorResponse> ${code} into a CliError with that code`, async () => {
      answer = { status, body: errorXml(code, 'The security token included in the request is expired') };
      await assert.rejects(call(), failsWith(code, exitCode, message));
    });
  }

  it('says the endpoint is probably wrong when the answer is not STS', async () => {
    answer = { status: 404, body: '<html>nope</html>', contentType: 'text/html' };
    await assert.rejects(call(), failsWith('STS_BAD_RESPONSE', ExitCode.Unreachable, /HTTP 404 without an STS error/));
    answer = { status: 200, body: '{"Arn":"x"}', contentType: 'application/json' };
    await assert.rejects(call(), failsWith('STS_BAD_RESPONSE', ExitCode.Unreachable));
  });

  it('names the network failure', async () => {
    await assert.rejects(call(await unreachableUrl()), failsWith('STS_UNREACHABLE', ExitCode.Unreachable, /ECONNREFUSED/));
  });
});

describe('query XML', () => {
  const cases: Array<[xml: string, name: string, text: string | undefined]> = [
    [IDENTITY_XML, 'Arn', 'arn:aws:sts::111111111111:assumed-role/Admin/alice'],
    [IDENTITY_XML, 'Account', '111111111111'],
    [IDENTITY_XML, 'Missing', undefined],
    ['<Message a="1">a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;</Message>', 'Message', 'a <b> & "c" \'d\' AB'],
    ['<UserId></UserId>', 'UserId', ''],
    ['<ArnX>no</ArnX><Arn>yes</Arn>', 'Arn', 'yes'],
  ];
  for (const [xml, name, text] of cases) {
    it(`<${name}> in ${JSON.stringify(xml.slice(0, 40))}`, () => assert.equal(xmlElementText(xml, name), text));
  }
  it('leaves unknown or out-of-range entities as they are', () => {
    assert.equal(decodeEntities('&nbsp; &#x110000; &#1;'), '&nbsp; &#x110000; \u0001');
  });
  it('reads the identity of a 200 answer', () => {
    assert.deepEqual(parseGetCallerIdentityResponse(200, IDENTITY_XML, 'u'), { arn: 'arn:aws:sts::111111111111:assumed-role/Admin/alice', userId: 'AROAEXAMPLEEXAMPLE:alice', account: '111111111111' });
  });
});
