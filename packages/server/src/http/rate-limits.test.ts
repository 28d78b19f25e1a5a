// Issue 14, item 5: request rate limits on the token API, /v1/authorize and the AWS APIs, each
// answered in its protocol's words, counted per client (address, and the DPoP key or access key
// the request names) so that one client's flood does not throttle another.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDpopProof, newDpopKey } from '@keyless/protocol';
import { loadConfig } from '../config/config.ts';
import { newLoginAttempt, startHarness, type Harness } from '../testing/harness.ts';

const LIMIT = 3;

describe('request rate limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { KEYLESS_RATE_LIMIT_TOKEN: String(LIMIT), KEYLESS_RATE_LIMIT_AUTHORIZE: String(LIMIT), KEYLESS_RATE_LIMIT_AWS_API: String(LIMIT) } });
  });
  after(() => h.close());

  const token = (key: ReturnType<typeof newDpopKey>, remoteAddress = '192.0.2.1') =>
    h.service.app.inject({
      method: 'POST',
      url: '/v1/token',
      remoteAddress,
      headers: { 'content-type': 'application/json', dpop: createDpopProof({ privateKey: key, htm: 'POST', htu: h.tokenUrl, now: h.clock.now() / 1000 }) },
      payload: JSON.stringify({ clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 'not-a-token' }),
    });

  it('the token API answers TooManyRequestsError (429) past the limit, per DPoP key and address', async () => {
    const key = newDpopKey();
    for (let i = 0; i < LIMIT; i++) assert.notEqual((await token(key)).statusCode, 429, `request ${i + 1}`);
    const refused = await token(key);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['x-amzn-errortype'], 'TooManyRequestsError');
    assert.equal(refused.json().error, 'INVALID_REQUEST');
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    assert.notEqual((await token(newDpopKey())).statusCode, 429, 'another client (DPoP key) behind the same address is not throttled');
    assert.notEqual((await token(key, '192.0.2.2')).statusCode, 429, 'nor the same key from another address');
  });

  it('/v1/authorize answers a 429 page past the limit, per address', async () => {
    const browser = h.browser({ ip: '192.0.2.20' });
    const url = `/v1/authorize?${new URLSearchParams(newLoginAttempt().params)}`;
    for (let i = 0; i < LIMIT; i++) assert.equal((await browser.request('GET', url)).status, 302);
    const refused = await browser.request('GET', url);
    assert.equal(refused.status, 429);
    assert.match(refused.body, /Too many requests/);
    assert.equal((await h.browser({ ip: '192.0.2.21' }).request('GET', url)).status, 302);
  });

  const awsCall = (headers: Record<string, string>, body: string) =>
    h.service.app.inject({ method: 'POST', url: '/', remoteAddress: '192.0.2.30', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: body });
  const signedBy = (accessKeyId: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261204/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` });

  it('the AWS query APIs answer Throttling (400, query XML), the JSON ones ThrottlingException, per access key and address', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    // Under the limit each is refused for its signature (as every request without valid credentials), not throttled.
    for (let i = 0; i < LIMIT; i++) assert.doesNotMatch((await awsCall(signedBy('ASIAAAAAAAAAAAAAAAA1'), body)).body, /Throttling/);
    const refused = await awsCall(signedBy('ASIAAAAAAAAAAAAAAAA1'), body);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    assert.match(refused.body, /<Code>Throttling<\/Code>/);
    assert.match(refused.body, /<Message>Rate exceeded<\/Message>/);
    assert.doesNotMatch((await awsCall(signedBy('ASIAAAAAAAAAAAAAAAA2'), body)).body, /Throttling/, 'another access key is not throttled');

    const json = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents', ...signedBy('ASIAAAAAAAAAAAAAAAA3') };
    for (let i = 0; i < LIMIT; i++) await awsCall(json, '{}');
    const refusedJson = await awsCall(json, '{}');
    assert.equal(refusedJson.statusCode, 400);
    assert.equal(refusedJson.json().__type, 'com.amazonaws.cloudtrail.v20131101#ThrottlingException');

    const stsJson = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity', ...signedBy('ASIAAAAAAAAAAAAAAAA4') };
    for (let i = 0; i < LIMIT; i++) await awsCall(stsJson, '{}');
    const refusedSts = await awsCall(stsJson, '{}');
    assert.equal(refusedSts.statusCode, 400);
    assert.match(refusedSts.json().__type, /#Throttling$/, 'STS keeps its query error code in JSON');
    assert.equal(refusedSts.headers['x-amzn-query-error'], 'Throttling;Sender');
  });

  it('defaults leave real use and the refresh benchmark (~250 refreshes/s per session) far below the limits; 0 turns one off', () => {
    const defaults = loadConfig({}).rateLimits;
    assert.ok(defaults.token >= 250 * 60 * 2, `token: ${defaults.token} per minute per client`);
    assert.ok(defaults.awsApi >= 250 * 60 * 2);
    assert.ok(defaults.authorize >= 600);
    assert.equal(loadConfig({ KEYLESS_RATE_LIMIT_TOKEN: '0' }).rateLimits.token, 0);
    assert.throws(() => loadConfig({ KEYLESS_RATE_LIMIT_AUTHORIZE: '-1' }), /KEYLESS_RATE_LIMIT_AUTHORIZE/);
  });
});
