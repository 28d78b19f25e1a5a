// Issue 14, item 2: parameter names that are also Object.prototype's members (`constructor`,
// `__proto__`, `toString`, …) sent to every route — as query keys, form keys, JSON keys, header
// names and values, and, signed, as IAM/STS/CloudTrail parameters, tag keys, context keys and
// policy-document keys. Every answer must be the route's ordinary refusal or result, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signRequest } from '@keyless/protocol';
import { hidden, newLoginAttempt, postToken, redeemBody, startHarness, type Harness } from '../testing/harness.ts';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__', 'prototype'];

/** Every route the app registered, read from Fastify's own route tree, so a route added later is fuzzed too. */
function registeredRoutes(tree: string): Array<{ method: 'GET' | 'POST'; path: string }> {
  const routes: Array<{ method: 'GET' | 'POST'; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) if (method === 'GET' || method === 'POST') routes.push({ method, path: path.replace(/^\/\//, '/') });
  }
  return routes;
}

describe('prototype-named parameters never answer 5xx', () => {
  let h: Harness;
  let root: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  let browser: ReturnType<Harness['browser']>;
  let csrf: string;
  before(async () => {
    h = await startHarness();
    browser = h.browser();
    const attempt = newLoginAttempt();
    await browser.signIn({ mode: 'root' });
    const redirect = await browser.authorize(attempt.params);
    const code = new URL(String(redirect.headers.location)).searchParams.get('code')!;
    root = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken;
    csrf = hidden((await browser.request('GET', '/console')).body, 'csrf')!;
  });
  after(() => h.close());

  const failures: string[] = [];
  const check = (what: string, status: number, body: string) => {
    if (status >= 500) failures.push(`${what} → ${status} ${body.slice(0, 200)}`);
  };

  it('finds the routes to fuzz', () => {
    const routes = registeredRoutes(h.service.app.printRoutes({ commonPrefix: false }));
    for (const expected of ['GET /v1/authorize', 'POST /v1/token', 'POST /console/signin', 'GET /console/federation/callback', 'POST /']) {
      assert.ok(routes.some((r) => `${r.method} ${r.path}` === expected), `${expected} in ${JSON.stringify(routes)}`);
    }
  });

  it('as query keys and values, form keys and values, JSON keys and header names, on every route, signed in or not', async () => {
    const routes = registeredRoutes(h.service.app.printRoutes({ commonPrefix: false }));
    // Fields the console's forms read, each given the name as its value too.
    const formFieldNames = ['session_id', 'challenge', 'pending', 'code', 'mode', 'return_to', 'choice', 'role_id', 'email', 'account', 'username', 'password'];
    for (const name of NAMES) {
      const query = `${encodeURIComponent(name)}=1&${formFieldNames.map((f) => `${f}=${encodeURIComponent(name)}`).join('&')}&provider=${encodeURIComponent(name)}&state=${encodeURIComponent(name)}`;
      for (const { method, path } of routes) {
        const who = `${method} ${path} [${name}]`;
        const get = await browser.request('GET', `${path}?${query}`, undefined, { [name.toLowerCase()]: name });
        if (method === 'GET') check(`${who} query`, get.status, get.body);
        if (method !== 'POST') continue;
        const form = Object.fromEntries([...formFieldNames.map((f) => [f, name]), [name, name]]);
        const signedIn = await browser.request('POST', `${path}?${query}`, { ...form, csrf });
        check(`${who} form (signed in)`, signedIn.status, signedIn.body);
        const stranger = await h.browser().request('POST', path, form);
        check(`${who} form (stranger)`, stranger.status, stranger.body);
        for (const type of ['application/json', 'application/x-amz-json-1.1']) {
          const json = await h.service.app.inject({ method: 'POST', url: path, headers: { 'content-type': type, 'x-amz-target': name }, payload: `{"${name}":{"${name}":"${name}"},"clientId":"${name}"}` });
          check(`${who} ${type}`, json.statusCode, json.body);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  /** POST / signed with root's credentials, as the SDKs send each protocol. */
  const signed = async (body: string, service: string, target?: string) => {
    const host = new URL(h.config.publicUrl).host;
    const headers: Record<string, string> = target
      ? { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, host }
      : { 'content-type': 'application/x-www-form-urlencoded', host };
    const auth = signRequest({ method: 'POST', url: `${h.config.publicUrl}/`, headers, body, credentials: root, region: 'us-east-1', service, now: new Date(h.clock.now()) });
    const response = await h.service.app.inject({ method: 'POST', url: '/', headers: { ...headers, ...auth }, payload: body });
    return { status: response.statusCode, body: response.body };
  };

  it('as signed IAM, STS and CloudTrail parameters, tag keys, context keys and policy-document keys', async () => {
    for (const name of NAMES) {
      const policy = JSON.stringify({ Version: '2012-10-17', [name]: name, Statement: [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:s3:::\${${name}}`, [name]: 1, Condition: { StringEquals: { [name]: name } } }] });
      const form = (fields: Record<string, string>) => new URLSearchParams({ ...fields, [name]: name }).toString();
      const calls: Array<[string, string, string?]> = [
        [`Action=${encodeURIComponent(name)}&Version=2010-05-08`, 'iam'],
        [`Action=${encodeURIComponent(name)}&Version=2011-06-15`, 'sts'],
        [form({ Action: 'GetCallerIdentity', Version: '2011-06-15' }), 'sts'],
        [form({ Action: 'CreateUser', Version: '2010-05-08', UserName: `u${NAMES.indexOf(name)}`, 'Tags.member.1.Key': name, 'Tags.member.1.Value': name }), 'iam'],
        [form({ Action: 'GetUser', Version: '2010-05-08', UserName: name }), 'iam'],
        [form({ Action: 'PutUserPolicy', Version: '2010-05-08', UserName: `u${NAMES.indexOf(name)}`, PolicyName: name, PolicyDocument: policy }), 'iam'],
        [form({ Action: 'CreatePolicy', Version: '2010-05-08', PolicyName: `p${NAMES.indexOf(name)}`, PolicyDocument: policy }), 'iam'],
        [
          form({
            Action: 'SimulatePrincipalPolicy',
            Version: '2010-05-08',
            PolicySourceArn: `arn:aws:iam::111111111111:user/u${NAMES.indexOf(name)}`,
            'ActionNames.member.1': 's3:GetObject',
            'ContextEntries.member.1.ContextKeyName': name,
            'ContextEntries.member.1.ContextKeyType': 'string',
            'ContextEntries.member.1.ContextKeyValues.member.1': name,
          }),
          'iam',
        ],
        [form({ Action: 'SimulateCustomPolicy', Version: '2010-05-08', 'PolicyInputList.member.1': policy, 'ActionNames.member.1': name }), 'iam'],
        [JSON.stringify({ [name]: name, LookupAttributes: [{ AttributeKey: name, AttributeValue: name }] }), 'cloudtrail', 'CloudTrail_20131101.LookupEvents'],
        [JSON.stringify({ [name]: { [name]: name } }), 'cloudtrail', `CloudTrail_20131101.${name}`],
        [JSON.stringify({ [name]: name }), 'sts', `AWSSecurityTokenServiceV20110615.${name}`],
      ];
      for (const [body, service, target] of calls) {
        const response = await signed(body, service, target);
        check(`${service} ${target ?? body.slice(0, 80)}`, response.status, response.body);
        assert.notEqual(response.status, 403, `${body.slice(0, 80)}: root is authenticated and allowed — ${response.body.slice(0, 300)}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
