import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newDpopKey } from '@keyless/protocol';
import { after, before, describe, it } from 'node:test';
import { CliError, ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { identityFromIdToken } from '../login/id-token.ts';
import { unreachableUrl, unsignedJwt } from '../testing/fake-signin-server.ts';
import { postSignin } from './client.ts';
import { parseTokenResponse } from './token-response.ts';

// Each path answers one canned response.
const ANSWERS: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {
  '/ok': { status: 200, body: '{"a":1}' },
  '/empty': { status: 200, body: '' },
  '/expired': { status: 401, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"error":"TOKEN_EXPIRED","message":"gone"}' },
  '/changed': { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/' }, body: '{"error":"USER_CREDENTIALS_CHANGED","message":"x"}' },
  '/throttled': { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsError' }, body: '{"error":"INVALID_REQUEST","message":"slow down"}' },
  '/html404': { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' },
  '/redirect': { status: 302, headers: { location: '/ok' }, body: '' },
};

let server: Server;
let base: string;
before(async () => {
  server = createServer((request, response) => {
    const answer = ANSWERS[request.url ?? ''] ?? { status: 500, body: '' };
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const dpopKey = newDpopKey();
const call = (path: string, baseUrl = base) => postSignin({ fetch, baseUrl, path, body: {}, dpopKey, now: new Date() });
describe('postSignin', () => {
  it('returns the parsed body of a 2xx, {} for an empty one', async () => {
    assert.deepEqual(await call('/ok'), { a: 1 });
    assert.deepEqual(await call('/empty'), {});
  });
  it('maps wire error codes to their own messages, whatever the error type suffix', async () => {
    await assert.rejects(call('/expired'), failsWith('TOKEN_EXPIRED', ExitCode.Refused, /session has expired/));
    await assert.rejects(call('/changed'), failsWith('USER_CREDENTIALS_CHANGED', ExitCode.Refused, /password changed/));
    await assert.rejects(call('/throttled'), failsWith('INVALID_REQUEST', ExitCode.Failure, /rate limiting/));
  });
  it('says the endpoint is probably wrong when the answer is not the protocol', async () => {
    await assert.rejects(call('/html404'), failsWith('SIGNIN_BAD_RESPONSE', ExitCode.Unreachable, /HTTP 404.*endpoint URL right/));
  });
  it('does not follow redirects with a code or token in the body', async () => {
    await assert.rejects(call('/redirect'), failsWith('SIGNIN_UNREACHABLE', ExitCode.Unreachable));
  });
  it('names the network failure', async () => {
    await assert.rejects(call('/ok', await unreachableUrl()), failsWith('SIGNIN_UNREACHABLE', ExitCode.Unreachable, /ECONNREFUSED/));
  });
});

describe('token response and idToken', () => {
  const valid = {
    accessToken: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' },
    tokenType: 'aws_sigv4',
    expiresIn: 900,
    refreshToken: 'r',
    idToken: unsignedJwt({ sub: 'arn:aws:sts::111111111111:assumed-role/Admin/alice' }),
  };
  it('accepts the model shape and requires idToken on redemption', () => {
    assert.equal(parseTokenResponse(valid, { requireIdToken: true }).expiresIn, 900);
    const { idToken: _, ...refresh } = valid;
    parseTokenResponse(refresh, { requireIdToken: false });
    assert.throws(() => parseTokenResponse(refresh, { requireIdToken: true }), /no idToken/);
  });
  it('rejects missing or odd members before anything is written', () => {
    assert.throws(() => parseTokenResponse({ ...valid, accessToken: { accessKeyId: 'A' } }, { requireIdToken: false }), /secretAccessKey/);
    assert.throws(() => parseTokenResponse({ ...valid, tokenType: 'Bearer' }, { requireIdToken: false }), /tokenType/);
    assert.throws(() => parseTokenResponse({ ...valid, expiresIn: -1 }, { requireIdToken: false }), /expiresIn/);
    assert.throws(() => parseTokenResponse({ ...valid, refreshToken: '' }, { requireIdToken: false }), /refreshToken/);
  });
  it('reads the principal and account from the idToken sub', () => {
    assert.deepEqual(identityFromIdToken(valid.idToken), { loginSession: 'arn:aws:sts::111111111111:assumed-role/Admin/alice', accountId: '111111111111' });
    assert.deepEqual(identityFromIdToken(unsignedJwt({ sub: 'arn:aws:iam::222222222222:root' })).accountId, '222222222222');
    for (const bad of ['', 'a.b', unsignedJwt({}), unsignedJwt({ sub: 'alice' }), unsignedJwt({ sub: 'arn:aws:iam::111111111111:user/a\n[profile x]' })]) {
      assert.throws(() => identityFromIdToken(bad), (error: unknown) => error instanceof CliError && error.code === 'ID_TOKEN_INVALID', bad);
    }
  });
});
