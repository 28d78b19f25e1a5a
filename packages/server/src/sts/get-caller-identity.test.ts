// STS GetCallerIdentity through the official @aws-sdk/client-sts, and SigV4 attacks that must fail.
import assert from 'node:assert/strict';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { presignUrl, signRequest } from '@keyless/protocol';
import { newLoginAttempt, obtainCode, postToken, redeemBody, startHarness, ACCOUNT_ID, type Harness } from '../testing/harness.ts';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

describe('STS GetCallerIdentity', () => {
  let h: Harness;
  let endpoint: string;
  let creds: Creds;
  let sessionId: string;
  before(async () => {
    h = await startHarness();
    await h.service.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(h.service.app.server.address() as AddressInfo).port}`;
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    creds = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken;
    sessionId = (await h.service.store.read((rs) => rs.loginSessions.listActive({ now: h.clock.now() })))[0]!.id;
  });
  after(() => h.close());

  const client = (credentials: Creds, region = 'us-east-1') => new STSClient({ region, endpoint, credentials, maxAttempts: 1 });

  it('answers the official client with the IAM user identity', async () => {
    const identity = await client(creds).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/alice`);
    assert.equal(identity.Account, ACCOUNT_ID);
    assert.match(identity.UserId!, /^AIDA[A-Z2-7]{17}$/);
  });

  it('answers root with the account id as UserId', async () => {
    const attempt = newLoginAttempt();
    const browser = h.browser();
    await browser.signIn({ mode: 'root' });
    const redirect = await browser.authorize(attempt.params);
    const code = new URL(String(redirect.headers.location)).searchParams.get('code')!;
    const rootCreds = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken;
    const identity = await client(rootCreds).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT_ID}:root`);
    assert.equal(identity.UserId, ACCOUNT_ID);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    await assert.rejects(client({ ...creds, secretAccessKey: 'A'.repeat(40) }).send(new GetCallerIdentityCommand({})), { name: 'SignatureDoesNotMatch' });
  });

  it('refuses an unknown key id and a wrong session token with InvalidClientTokenId', async () => {
    await assert.rejects(client({ ...creds, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
    await assert.rejects(client({ ...creds, sessionToken: creds.sessionToken.slice(0, -4) + 'AAAA' }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
  });

  const signedFetch = async (change: { body?: string; region?: string; service?: string; date?: Date; header?: [string, string] } = {}) => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(endpoint).host };
    const signed = signRequest({ method: 'POST', url: `${endpoint}/`, headers, body, credentials: creds, region: change.region ?? 'us-east-1', service: change.service ?? 'sts', now: change.date ?? new Date() });
    const response = await fetch(`${endpoint}/`, { method: 'POST', headers: { ...headers, ...signed, ...(change.header && { [change.header[0]]: change.header[1] }) }, body: change.body ?? body });
    return { status: response.status, text: await response.text() };
  };

  it('accepts a request signed by our own signer (the one keyless whoami uses)', async () => {
    const response = await signedFetch();
    assert.equal(response.status, 200, response.text);
    assert.match(response.text, /<Arn>arn:aws:iam::111111111111:user\/alice<\/Arn>/);
  });

  it('refuses a changed body, a changed signed header and an unsigned x-amz header', async () => {
    assert.match((await signedFetch({ body: 'Action=GetCallerIdentity&Version=2011-06-15&X=1' })).text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match((await signedFetch({ header: ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'] })).text, /SignatureDoesNotMatch/);
    assert.match((await signedFetch({ header: ['x-amz-meta-extra', 'x'] })).text, /<Code>AccessDenied<\/Code>|SignatureDoesNotMatch/);
  });

  /** POST / with headers as given: an array value goes on the wire as that many header lines, which fetch cannot send. */
  const rawPost = (headers: OutgoingHttpHeaders, body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = httpRequest(`${endpoint}/`, { method: 'POST', headers }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode!, text }));
      });
      sent.on('error', reject).end(body);
    });

  it('canonicalises a header sent twice as its signer joined it, and refuses a value added to it in transit', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(endpoint).host, 'x-amz-meta-twice': 'a,b' };
    const signed = signRequest({ method: 'POST', url: `${endpoint}/`, headers, body, credentials: creds, region: 'us-east-1', service: 'sts', now: new Date() });
    const twice = await rawPost({ ...headers, ...signed, 'x-amz-meta-twice': ['a', 'b'] }, body);
    assert.equal(twice.status, 200, twice.text);
    assert.match((await rawPost({ ...headers, ...signed, 'x-amz-meta-twice': ['a', 'b', 'c'] }, body)).text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match((await rawPost({ ...headers, ...signed, 'x-amz-date': [signed['x-amz-date'], signed['x-amz-date']] }, body)).text, /<Code>IncompleteSignature<\/Code>/);
  });

  it('refuses another service and a skew beyond five minutes', async () => {
    assert.match((await signedFetch({ service: 's3' })).text, /SignatureDoesNotMatch/);
    const skewed = await signedFetch({ date: new Date(Date.now() - 6 * 60_000) });
    assert.equal(skewed.status, 400);
    assert.match(skewed.text, /<Code>RequestExpired<\/Code>/);
  });

  it('answers in XML with the request id, and refuses an unsigned request', async () => {
    const response = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(response.status, 403);
    const text = await response.text();
    assert.match(text, /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    assert.match(text, new RegExp(`<RequestId>${response.headers.get('x-amzn-requestid')}</RequestId>`));
  });

  it('authenticates before anything else: no credentials, or a Version changed after signing, learn only the authentication error', async () => {
    const unsigned = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=1999' });
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const noAction = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Version=2011-06-15' });
    assert.match(await noAction.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const unknownTarget = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'NoSuchService.Op' }, body: '{}' });
    assert.equal(unknownTarget.status, 403);
    assert.match(await unknownTarget.text(), /MissingAuthenticationToken/);
    const resigned = await signedFetch({ body: 'Action=GetCallerIdentity&Version=1999' });
    assert.equal(resigned.status, 403);
    assert.match(resigned.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('speaks JSON 1.0 when X-Amz-Target names the operation', async () => {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity', host: new URL(endpoint).host };
    const signed = signRequest({ method: 'POST', url: `${endpoint}/`, headers, body: '{}', credentials: creds, region: 'us-east-1', service: 'sts', now: new Date() });
    const response = await fetch(`${endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body: '{}' });
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys((await response.json()) as object), ['UserId', 'Account', 'Arn']);
  });

  it('answers a presigned GET URL, and refuses it after it expires', async () => {
    const url = presignUrl({ method: 'GET', url: `${endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`, credentials: creds, region: 'us-east-1', service: 'sts', now: new Date(), expiresInSeconds: 60 });
    const fresh = await fetch(url);
    assert.equal(fresh.status, 200, await fresh.clone().text());
    const old = presignUrl({ method: 'GET', url: `${endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`, credentials: creds, region: 'us-east-1', service: 'sts', now: new Date(Date.now() - 120_000), expiresInSeconds: 60 });
    const expired = await fetch(old);
    assert.equal(expired.status, 400);
    assert.match(await expired.text(), /RequestExpired/);
  });

  it('refuses credentials of a revoked session with ExpiredToken', async () => {
    await h.service.store.read((rs) => rs.loginSessions.revoke(sessionId, 'test', h.clock.now()));
    await assert.rejects(client(creds).send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken' });
  });
});
