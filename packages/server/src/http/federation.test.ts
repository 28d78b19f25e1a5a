// Federated sign-in at the HTTP edge (issue 3), against a real OpenID provider on a socket that
// the test controls (testing/test-idp.ts): the whole path into a role session and on through
// keyless login's code and refresh grants, then every attack the issue lists — each must fail with
// a page, never a stack trace, and no secret in any log line.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { UnsecuredJWT } from 'jose';
import { systemRandom } from '../crypto/ids.ts';
import { operatorRequest } from '../audit/iam-events.ts';
import { attachPolicy, detachPolicy } from '../iam/admin/attachments.ts';
import { createRole, deleteRole } from '../iam/admin/roles.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../iam/policy/index.ts';
import { createOidcProvider } from '../federation/provider-admin.ts';
import { createSealer } from '../crypto/sealer.ts';
import { loadMasterKey } from '../keys/master-key.ts';
import { startTestIdp, type TestIdp } from '../testing/test-idp.ts';
import { formFields, hidden, newLoginAttempt, postToken, redeemBody, refreshBody, startHarness, type Harness, type InjectResult, type ScriptedBrowser } from '../testing/harness.ts';

const by = () => operatorRequest(systemRandom, 'test');
const h1 = (page: InjectResult) => /<h1>([\s\S]*?)<\/h1>/.exec(page.body)?.[1];

describe('federated sign-in over HTTP', () => {
  let h: Harness;
  let idp: TestIdp;
  let providerId: string;
  let providerArn: string;
  let path: string;
  const logLines: string[] = [];

  const deps = () => h.service.deps;
  const trust = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const federated = (effect: 'Allow' | 'Deny', condition?: object) => ({ Effect: effect, Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition && { Condition: condition }) });

  before(async () => {
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
    h = await startHarness({ logger });
    idp = await startTestIdp({ now: () => h.clock.now() });
    const sealer = createSealer(loadMasterKey(h.config.masterKey, h.config.dataDir));
    const provider = await createOidcProvider({ ...deps(), sealer }, by(), { accountId: h.accountId, issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: 'Test SSO' });
    providerArn = provider.arn;
    path = providerArn.slice(providerArn.indexOf('oidc-provider/') + 14);
    providerId = (await h.service.store.read((rs) => rs.federation.findProviderByArn(providerArn)))!.id;
    const role = (name: string, policy: string, maxSessionDuration?: number) => createRole(deps(), by(), { accountId: h.accountId, roleName: name, assumeRolePolicyDocument: policy, maxSessionDuration });
    await role('Engineer', trust(federated('Allow', { 'ForAnyValue:StringEquals': { [`${path}:groups`]: 'engineering' } })), 7200);
    await role('Auditor', trust(federated('Allow', { StringLike: { [`${path}:email`]: '*@example.com' } })));
    // Would admit engineers, but an explicit Deny for contractors wins.
    await role('Payroll', trust(federated('Allow', { 'ForAnyValue:StringEquals': { [`${path}:groups`]: 'engineering' } }), federated('Deny', { StringLike: { [`${path}:email`]: '*@contractor.example' } })));
    await attachPolicy(deps(), by(), { kind: 'role', accountId: h.accountId, name: 'Engineer', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
  });
  after(async () => {
    await idp?.close();
    await h?.close();
  });

  const ENGINEER = { sub: 'u-ada', email: 'ada@example.com', groups: ['engineering'] };

  /** "Sign in with Test SSO" from the sign-in page, in `browser`: the provider's authorization URL. */
  async function start(browser: ScriptedBrowser, returnTo?: string): Promise<URL> {
    const page = await browser.request('GET', `/console/signin${returnTo ? `?${new URLSearchParams({ return_to: returnTo })}` : ''}`);
    const link = /href="(\/console\/federation\/start\?[^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(link, 'the sign-in page offers Sign in with Test SSO');
    assert.match(page.body, /Sign in with <bdi>Test SSO<\/bdi>/);
    const started = await browser.request('GET', link);
    assert.equal(started.status, 303);
    return new URL(String(started.headers.location));
  }

  /** The provider approves and sends the browser back. */
  const callback = (browser: ScriptedBrowser, location: URL, mint: Parameters<TestIdp['approve']>[1], extra: Record<string, string> = {}) => {
    const code = idp.approve(location.toString(), mint);
    const query = new URLSearchParams({ code, state: location.searchParams.get('state')!, iss: idp.issuer, ...extra });
    return browser.request('GET', `/console/federation/callback?${query}`);
  };
  const withClaims = (claims: object) => (defaults: object) => idp.sign({ ...defaults, ...claims });

  const pickRole = (browser: ScriptedBrowser, picker: InjectResult, roleName?: string) => {
    const fields = formFields(picker.body, '/console/federation/role');
    if (roleName) fields.role_id = new RegExp(`value="(AROA[A-Z2-7]+)"[^>]*>\\s*<label[^>]*><div class="session-info">\\s*<div class="session-head"><bdi class="session-name">${roleName}<`).exec(picker.body)![1]!;
    return browser.request('POST', '/console/federation/role', fields);
  };

  it('the authorization request carries state, nonce and an S256 challenge, and goes to the discovered endpoint', async () => {
    const location = await start(h.browser());
    assert.equal(`${location.origin}${location.pathname}`, `${idp.issuer}/authorize`);
    const p = location.searchParams;
    assert.equal(p.get('response_type'), 'code');
    assert.equal(p.get('client_id'), idp.clientId);
    assert.equal(p.get('redirect_uri'), `${h.config.publicUrl}/console/federation/callback`);
    assert.equal(p.get('code_challenge_method'), 'S256');
    assert.match(p.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('state')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('nonce')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('scope')!, /\bopenid\b/);
  });

  it('into a role session, then keyless login: the id token names the assumed role, refresh follows the role policies, durations are capped', async () => {
    const browser = h.browser();
    const attempt = newLoginAttempt();
    const returnTo = `/v1/authorize?${new URLSearchParams(attempt.params)}`;
    const picker = await callback(browser, await start(browser, returnTo), withClaims(ENGINEER));
    assert.equal(picker.status, 200, picker.body);
    assert.equal(h1(picker), 'Choose a role');
    const offered = [...picker.body.matchAll(/<bdi class="session-name">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(offered, ['Auditor', 'Engineer', 'Payroll'], 'every role whose trust admits the claims, by name');

    const signedIn = await pickRole(browser, picker, 'Engineer');
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.location, returnTo, 'back to the authorize request, like a password sign-in');

    const redirect = await browser.authorize(attempt.params);
    const code = new URL(String(redirect.headers.location)).searchParams.get('code')!;
    const redeemed = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(redeemed.status, 200, redeemed.body);
    const sessionArn = `arn:aws:sts::${h.accountId}:assumed-role/Engineer/ada@example.com`;
    const idToken = JSON.parse(Buffer.from(redeemed.json().idToken.split('.')[1], 'base64url').toString());
    assert.equal(idToken.sub, sessionArn);
    assert.ok(idToken.exp - idToken.iat <= 7200, 'the login session lasts at most the role maximum (2 h)');

    const refreshed = await postToken(h, refreshBody(attempt, redeemed.json().refreshToken), { key: attempt.key });
    assert.equal(refreshed.status, 200, refreshed.body);
    await detachPolicy(deps(), by(), { kind: 'role', accountId: h.accountId, name: 'Engineer', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    const refused = await postToken(h, refreshBody(attempt, refreshed.json().refreshToken), { key: attempt.key });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS', 'the role policies decide each refresh');
    await attachPolicy(deps(), by(), { kind: 'role', accountId: h.accountId, name: 'Engineer', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });

    const events = await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin' }));
    const login = events.map((e) => JSON.parse(e.record)).find((r) => r.userIdentity.arn === sessionArn);
    assert.equal(login.userIdentity.type, 'AssumedRole');
    assert.match(login.userIdentity.principalId, /^AROA[A-Z2-7]+:ada@example\.com$/);
    assert.equal(login.userIdentity.sessionContext.sessionIssuer.arn, `arn:aws:iam::${h.accountId}:role/Engineer`);
    assert.deepEqual(login.userIdentity.sessionContext.webIdFederationData, { federatedProvider: providerArn, attributes: {} });
  });

  const refusedWith = async (page: InjectResult, status: number, heading: string | RegExp) => {
    assert.equal(page.status, status, page.body);
    if (typeof heading === 'string') assert.equal(h1(page), heading);
    else assert.match(h1(page) ?? '', heading);
    assert.doesNotMatch(page.body, /at \S+ \(|Error:|node_modules/, 'no stack trace');
    assert.doesNotMatch(page.body, /name="choice"/, 'no role picker');
    assert.match(page.body, /<a href="\/console\/signin\?mode=iam[^"]*">Sign in again<\/a>/);
  };

  it('a replayed callback fails: the request is consumed once', async () => {
    const browser = h.browser();
    const location = await start(browser);
    const code = idp.approve(location.toString(), withClaims(ENGINEER));
    const url = `/console/federation/callback?${new URLSearchParams({ code, state: location.searchParams.get('state')!, iss: idp.issuer })}`;
    assert.equal((await browser.request('GET', url)).status, 200);
    await refusedWith(await browser.request('GET', url), 400, 'This sign-in has expired');
  });

  it('a state from another browser fails, and spends nothing of the real one', async () => {
    const victim = h.browser();
    const location = await start(victim);
    await refusedWith(await callback(h.browser(), location, withClaims(ENGINEER)), 400, 'This sign-in has expired');
    assert.equal((await callback(victim, location, withClaims(ENGINEER))).status, 200, 'the browser that began it can still finish');
  });

  it('a request older than ten minutes fails', async () => {
    const browser = h.browser();
    const location = await start(browser);
    h.clock.advance(10 * 60_000 + 1);
    await refusedWith(await callback(browser, location, withClaims(ENGINEER)), 400, 'This sign-in has expired');
  });

  const now = () => Math.floor(h.clock.now() / 1000);
  const BAD_TOKENS: Record<string, (defaults: Record<string, unknown>) => Promise<string> | string> = {
    'a wrong nonce': (d) => idp.sign({ ...d, ...ENGINEER, nonce: 'another-sign-in' }),
    'no nonce': (d) => idp.sign({ ...d, ...ENGINEER, nonce: undefined }),
    'another audience': (d) => idp.sign({ ...d, ...ENGINEER, aud: 'some-other-client' }),
    'several audiences and no azp': (d) => idp.sign({ ...d, ...ENGINEER, aud: [idp.clientId, 'other'] }),
    'an azp naming another client': (d) => idp.sign({ ...d, ...ENGINEER, azp: 'other' }),
    'another issuer': (d) => idp.sign({ ...d, ...ENGINEER, iss: 'https://evil.example' }),
    'an expired token': (d) => idp.sign({ ...d, ...ENGINEER, iat: now() - 900, exp: now() - 300 }),
    'an iat far in the past': (d) => idp.sign({ ...d, ...ENGINEER, iat: now() - 3600, exp: now() + 300 }),
    'a foreign key': (d) => idp.sign({ ...d, ...ENGINEER }, { key: idp.foreignKey }),
    'alg none': (d) => new UnsecuredJWT({ ...d, ...ENGINEER }).encode(),
    'HS256 keyed with the client secret': (d) => idp.sign({ ...d, ...ENGINEER }, { key: new TextEncoder().encode(idp.clientSecret), alg: 'HS256' }),
    'a tampered payload': async (d) => {
      const [header, , signature] = (await idp.sign({ ...d, ...ENGINEER, groups: [] })).split('.');
      return `${header}.${Buffer.from(JSON.stringify({ ...d, ...ENGINEER })).toString('base64url')}.${signature}`;
    },
  };
  for (const [what, mint] of Object.entries(BAD_TOKENS)) {
    it(`an ID token with ${what} is refused`, async () => {
      const browser = h.browser();
      await refusedWith(await callback(browser, await start(browser), mint), 401, 'The sign-in could not be verified');
    });
  }

  it('claims no trust policy admits get the "no role" page', async () => {
    const browser = h.browser();
    const page = await callback(browser, await start(browser), withClaims({ sub: 'u-eve', email: 'eve@elsewhere.example', groups: ['sales'] }));
    await refusedWith(page, 403, 'No role for you here');
    assert.match(page.body, /no role in Keyless trusts Test SSO/);
  });

  it('a role whose trust has an explicit Deny for the claims is not offered', async () => {
    const browser = h.browser();
    const picker = await callback(browser, await start(browser), withClaims({ sub: 'u-con', email: 'con@contractor.example', groups: ['engineering'] }));
    const offered = [...picker.body.matchAll(/<bdi class="session-name">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(offered, ['Engineer']);
    // Posting the denied role's id anyway: refused, no session.
    const payroll = (await h.service.store.read((rs) => rs.iamRoles.findByName(h.accountId, 'Payroll')))!;
    const forged = await browser.request('POST', '/console/federation/role', { ...formFields(picker.body, '/console/federation/role'), role_id: payroll.id });
    await refusedWith(forged, 403, 'No role for you here');
  });

  it('the role choice is bound to its browser and expires', async () => {
    const browser = h.browser();
    const picker = await callback(browser, await start(browser), withClaims(ENGINEER));
    const other = h.browser();
    const page = await other.request('GET', '/console/signin');
    await refusedWith(await other.request('POST', '/console/federation/role', { ...formFields(picker.body, '/console/federation/role'), csrf: hidden(page.body, 'csrf')! }), 400, 'This sign-in has expired');
    h.clock.advance(5 * 60_000 + 1);
    await refusedWith(await pickRole(browser, picker), 400, 'This sign-in has expired');
  });

  it('error=access_denied from the provider is a page naming it, offering to sign in again for the same CLI login', async () => {
    const browser = h.browser();
    const returnTo = `/v1/authorize?${new URLSearchParams(newLoginAttempt().params)}`;
    const location = await start(browser, returnTo);
    const page = await browser.request('GET', `/console/federation/callback?${new URLSearchParams({ error: 'access_denied', state: location.searchParams.get('state')!, iss: idp.issuer })}`);
    await refusedWith(page, 401, 'Test SSO did not sign you in');
    const again = /<a href="([^"]+)">Sign in again</.exec(page.body)![1]!.replace(/&amp;/g, '&');
    assert.equal(new URL(again, 'http://x').searchParams.get('return_to'), returnTo);
  });

  it('a response from another issuer (RFC 9207 iss) or without iss is refused before any code exchange', async () => {
    for (const iss of ['https://evil.example', undefined]) {
      const browser = h.browser();
      const location = await start(browser);
      const code = idp.approve(location.toString(), withClaims(ENGINEER));
      const query = new URLSearchParams({ code, state: location.searchParams.get('state')!, ...(iss && { iss }) });
      await refusedWith(await browser.request('GET', `/console/federation/callback?${query}`), 401, 'Test SSO did not sign you in');
    }
  });

  it('the provider refusing the code is a page', async () => {
    const browser = h.browser();
    const location = await start(browser);
    const query = new URLSearchParams({ code: 'never-issued', state: location.searchParams.get('state')!, iss: idp.issuer });
    await refusedWith(await browser.request('GET', `/console/federation/callback?${query}`), 502, 'The sign-in could not be completed');
  });

  it('an unreachable issuer is a page, and an unknown provider too', async () => {
    const sealer = createSealer(loadMasterKey(h.config.masterKey, h.config.dataDir));
    await createOidcProvider({ ...deps(), sealer }, by(), { accountId: h.accountId, issuer: 'http://127.0.0.1:9/down', clientId: 'c', clientSecret: 's', displayName: 'Down SSO' });
    const down = (await h.service.store.read((rs) => rs.federation.listProviders())).find((p) => p.display_name === 'Down SSO')!;
    const browser = h.browser();
    await refusedWith(await browser.request('GET', `/console/federation/start?provider=${down.id}`), 502, 'The identity provider is not answering');
    await refusedWith(await browser.request('GET', '/console/federation/start?provider=nope'), 404, 'Unknown identity provider');
    await h.service.store.read((rs) => rs.federation.deleteProvider(down.id));
  });

  it('with five sessions open, the user picks one to end and the role session takes its place', async () => {
    const browser = h.browser();
    for (let i = 0; i < 5; i++) assert.equal((await browser.signIn()).status, 303);
    const picker = await callback(browser, await start(browser), withClaims(ENGINEER));
    const chooser = await pickRole(browser, picker, 'Engineer');
    assert.equal(h1(chooser), 'Choose a session to sign out');
    const fields = formFields(chooser.body, '/console/federation/replace');
    assert.ok(fields.session_id && fields.pending);
    const replaced = await browser.request('POST', '/console/federation/replace', fields);
    assert.equal(replaced.status, 303);
    const home = await browser.request('GET', '/console');
    const names = [...home.body.matchAll(/<bdi class="session-name">([^<]+)</g)].map((m) => m[1]);
    assert.equal(names.length, 5);
    assert.ok(names.includes('ada@example.com'), names.join());
    // The chooser's form is good once: its session is gone, so a replay must not make six.
    await browser.request('POST', '/console/federation/replace', fields);
    assert.equal([...(await browser.request('GET', '/console')).body.matchAll(/<bdi class="session-name">/g)].length, 5);
  });

  it('a role deleted and created again under its name is another role: the old sessions stop refreshing', async () => {
    const crew = { sub: 'u-tem', email: 'tem@example.com', groups: ['temp-crew'] };
    const create = async () => {
      await createRole(deps(), by(), { accountId: h.accountId, roleName: 'Temp', assumeRolePolicyDocument: trust(federated('Allow', { 'ForAnyValue:StringEquals': { [`${path}:groups`]: 'temp-crew' } })) });
      await attachPolicy(deps(), by(), { kind: 'role', accountId: h.accountId, name: 'Temp', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    };
    await create();
    const browser = h.browser();
    const attempt = newLoginAttempt();
    const picker = await callback(browser, await start(browser), withClaims(crew));
    assert.equal((await pickRole(browser, picker, 'Temp')).status, 303);
    const code = new URL(String((await browser.authorize(attempt.params)).headers.location)).searchParams.get('code')!;
    const redeemed = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(redeemed.status, 200, redeemed.body);

    await detachPolicy(deps(), by(), { kind: 'role', accountId: h.accountId, name: 'Temp', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    await deleteRole(deps(), by(), { accountId: h.accountId, roleName: 'Temp' });
    await create();
    const refused = await postToken(h, refreshBody(attempt, redeemed.json().refreshToken), { key: attempt.key });
    assert.equal(refused.status, 403, refused.body);
    assert.match(refused.json().message, /was deleted/);

    // A new sign-in gets the new role.
    const again = await callback(browser, await start(browser), withClaims(crew));
    assert.equal((await pickRole(browser, again, 'Temp')).status, 303);
  });

  it('no log line holds the client secret, a code, a state, a nonce or an ID token', async () => {
    const browser = h.browser();
    const location = await start(browser);
    let idToken = '';
    const code = idp.approve(location.toString(), async (d) => (idToken = await idp.sign({ ...d, ...ENGINEER, nonce: 'wrong' })));
    await browser.request('GET', `/console/federation/callback?${new URLSearchParams({ code, state: location.searchParams.get('state')!, iss: idp.issuer })}`);
    const log = logLines.join('');
    assert.match(log, /federated sign-in stopped/, 'the refusal is logged');
    for (const secret of [idp.clientSecret, code, location.searchParams.get('state')!, location.searchParams.get('nonce')!, idToken]) assert.ok(secret && !log.includes(secret), 'a secret in the log');
    assert.deepEqual(idp.refusals, ['unknown code'], 'Keyless authenticated and sent the verifier every time');
  });

  // After the log test, which counts the provider's refusals over the whole suite: the last case here adds one.
  describe('failed sign-ins in the audit trail', () => {
    /** The ConsoleLogin events `action` adds, with what the provider and the browser saw of the sign-in. */
    async function consoleLoginsOf(action: (seen: { idTokens: string[]; urls: URL[]; codes: string[] }) => Promise<void>) {
      const ids = async () => new Set((await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', limit: 10_000 }))).map((row) => row.event_id));
      const before = await ids();
      const seen = { idTokens: [] as string[], urls: [] as URL[], codes: [] as string[] };
      await action(seen);
      const rows = (await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', limit: 10_000 }))).filter((row) => !before.has(row.event_id));
      return { rows, records: rows.map((row) => JSON.parse(row.record) as Record<string, any>), seen };
    }
    /** A sign-in at the provider that records every secret it carries. */
    const signInRecording = async (seen: { idTokens: string[]; urls: URL[]; codes: string[] }, browser: ScriptedBrowser, claims: object) => {
      const location = await start(browser);
      seen.urls.push(location);
      const code = idp.approve(location.toString(), async (d) => {
        const token = await idp.sign({ ...d, ...claims });
        seen.idTokens.push(token);
        return token;
      });
      seen.codes.push(code);
      return browser.request('GET', `/console/federation/callback?${new URLSearchParams({ code, state: location.searchParams.get('state')!, iss: idp.issuer })}`);
    };
    const secretsOf = (seen: { idTokens: string[]; urls: URL[]; codes: string[] }) => [
      idp.clientSecret,
      ...seen.idTokens,
      ...seen.codes,
      ...seen.urls.flatMap((url) => [url.searchParams.get('state')!, url.searchParams.get('nonce')!, url.searchParams.get('code_challenge')!]),
    ];
    const assertNoSecret = (record: object, secrets: string[]) => {
      const text = JSON.stringify(record);
      assert.ok(secrets.length > 3);
      for (const secret of secrets) assert.ok(secret && !text.includes(secret), `a secret in the event: ${text}`);
    };
    const failedConsoleLogin = (userIdentity: object, errorMessage: string) => ({
      userIdentity,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      errorMessage,
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: 'No' },
      recipientAccountId: h.accountId,
    });
    const shapeOf = (record: Record<string, any>) => {
      const { userIdentity, eventSource, eventName, eventType, errorMessage, responseElements, additionalEventData, recipientAccountId } = record;
      assert.equal('errorCode' in record, false, 'a failed ConsoleLogin has no errorCode');
      return { userIdentity, eventSource, eventName, eventType, errorMessage, responseElements, additionalEventData, recipientAccountId };
    };

    it('an ID token that verified but no role admits: a failed ConsoleLogin by the WebIdentityUser, naming provider, client and sub only', async () => {
      const eve = { sub: 'u-eve', email: 'eve@elsewhere.example', groups: ['sales'] };
      const { rows, records, seen } = await consoleLoginsOf(async (seen) => {
        await refusedWith(await signInRecording(seen, h.browser(), eve), 403, 'No role for you here');
      });
      assert.equal(records.length, 1);
      assert.deepEqual(
        shapeOf(records[0]!),
        failedConsoleLogin({ type: 'WebIdentityUser', principalId: `${providerArn}:${idp.clientId}:u-eve`, userName: 'u-eve', identityProvider: providerArn }, 'Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      );
      assert.equal(rows[0]!.username, 'u-eve', 'LookupEvents finds it by Username');
      assertNoSecret(records[0]!, [...secretsOf(seen), eve.email]);
    });

    it('a role refused at the pick (its trust no longer admits, or never offered): the same failure, once per attempt', async () => {
      const con = { sub: 'u-con', email: 'con@contractor.example', groups: ['engineering'] };
      const payroll = (await h.service.store.read((rs) => rs.iamRoles.findByName(h.accountId, 'Payroll')))!;
      const { records, seen } = await consoleLoginsOf(async (seen) => {
        const browser = h.browser();
        const picker = await signInRecording(seen, browser, con);
        assert.equal(picker.status, 200, picker.body);
        await refusedWith(await browser.request('POST', '/console/federation/role', { ...formFields(picker.body, '/console/federation/role'), role_id: payroll.id }), 403, 'No role for you here');
      });
      assert.deepEqual(
        records.map(shapeOf),
        [failedConsoleLogin({ type: 'WebIdentityUser', principalId: `${providerArn}:${idp.clientId}:u-con`, userName: 'u-con', identityProvider: providerArn }, 'Not authorized to perform sts:AssumeRoleWithWebIdentity')],
      );
      assertNoSecret(records[0]!, [...secretsOf(seen), con.email]);
    });

    it('an ID token that fails verification: a failed ConsoleLogin in the provider\'s account naming the provider and nobody else', async () => {
      const { rows, records, seen } = await consoleLoginsOf(async (seen) => {
        await refusedWith(await signInRecording(seen, h.browser(), { ...ENGINEER, nonce: 'another-sign-in' }), 401, 'The sign-in could not be verified');
      });
      assert.deepEqual(records.map(shapeOf), [failedConsoleLogin({ type: 'WebIdentityUser', identityProvider: providerArn }, 'Invalid identity token')]);
      assert.equal(rows[0]!.username, null);
      assertNoSecret(records[0]!, [...secretsOf(seen), ENGINEER.sub, ENGINEER.email]);
    });

    it('unattributable failures record nothing: a replayed or foreign state, the provider refusing, a code it never issued', async () => {
      const { records } = await consoleLoginsOf(async (seen) => {
        const browser = h.browser();
        const picker = await signInRecording(seen, browser, ENGINEER);
        assert.equal(picker.status, 200);
        const [location, code] = [seen.urls[0]!, seen.codes[0]!];
        const replay = `/console/federation/callback?${new URLSearchParams({ code, state: location.searchParams.get('state')!, iss: idp.issuer })}`;
        await refusedWith(await browser.request('GET', replay), 400, 'This sign-in has expired');
        const refused = await start(browser);
        await refusedWith(await browser.request('GET', `/console/federation/callback?${new URLSearchParams({ error: 'access_denied', state: refused.searchParams.get('state')!, iss: idp.issuer })}`), 401, 'Test SSO did not sign you in');
        const forged = await start(browser);
        await refusedWith(await browser.request('GET', `/console/federation/callback?${new URLSearchParams({ code: 'never-issued', state: forged.searchParams.get('state')!, iss: idp.issuer })}`), 502, 'The sign-in could not be completed');
      });
      assert.deepEqual(records, []);
    });
  });
});
