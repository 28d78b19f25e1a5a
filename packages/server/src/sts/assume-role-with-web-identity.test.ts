// AssumeRoleWithWebIdentity against a test issuer on a real socket (discovery, JWKS, ES256): the
// credentials it gives are first-class (SigV4, GetCallerIdentity, IAM decisions with session
// policies and tags), its CloudTrail record names the WebIdentityUser and no secret, and every
// attack on the token or the trust policy fails with STS's own error.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestIdp, type TestIdp } from '../testing/test-idp.ts';
import { credsOf, iamQuery, makeRole, registerProvider, stsJson, stsQuery, trustPolicy, type Creds } from '../testing/sts.ts';

const AUDIENCE = 'sts.amazonaws.com';

describe('AssumeRoleWithWebIdentity', () => {
  let h: Harness;
  let idp: TestIdp;
  let providerArn: string;
  let path: string;
  let roleArn: string;

  before(async () => {
    h = await startHarness();
    idp = await startTestIdp({ clientId: AUDIENCE, now: () => h.clock.now() });
    providerArn = await registerProvider(h, idp.issuer, [AUDIENCE, 'second-audience']);
    path = idp.issuer.replace(/^https?:\/\//, '');
    roleArn = await makeRole(
      h,
      'ci-deployer',
      trustPolicy(
        { Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringLike: { [`${path}:sub`]: 'repo:acme/*' }, StringEquals: { [`${path}:aud`]: AUDIENCE } } },
        { Effect: 'Deny', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${path}:sub`]: 'repo:acme/forbidden' } } },
      ),
      { allow: ['iam:ListRoles', 'iam:ListUsers'], maxSessionDuration: 7200 },
    );
  });
  after(async () => {
    await idp?.close();
    await h?.close();
  });

  const claims = (over: JWTPayload = {}): JWTPayload => {
    const now = Math.floor(h.clock.now() / 1000);
    return { iss: idp.issuer, aud: AUDIENCE, sub: 'repo:acme/app:ref:refs/heads/main', iat: now, exp: now + 300, ...over };
  };
  const token = (over: JWTPayload = {}, options?: Parameters<TestIdp['sign']>[1]) => idp.sign(claims(over), options);
  const assume = async (webIdentityToken: string, more: Record<string, string> = {}) =>
    stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn, RoleSessionName: 'build-42', WebIdentityToken: webIdentityToken, ...more });
  const refused = async (webIdentityToken: string, code: string, more: Record<string, string> = {}) => {
    const answer = await assume(webIdentityToken, more);
    assert.equal(answer.code, code, answer.body);
    assert.doesNotMatch(answer.body, /at .*\.ts:\d+/, 'no stack trace');
    return answer;
  };

  const iam = (creds: Creds, action: string) => iamQuery(h, creds, action);

  it('trades a token for role credentials that sign as the assumed role', async () => {
    const answer = await assume(await token());
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.field('AccessKeyId')!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(answer.field('SubjectFromWebIdentityToken'), 'repo:acme/app:ref:refs/heads/main');
    assert.equal(answer.field('Audience'), AUDIENCE);
    assert.equal(answer.field('Provider'), idp.issuer);
    assert.equal(answer.field('Arn'), `arn:aws:sts::${h.accountId}:assumed-role/ci-deployer/build-42`);
    assert.match(answer.field('AssumedRoleId')!, /^AROA[A-Z2-7]+:build-42$/);
    assert.equal(Date.parse(answer.field('Expiration')!), Math.floor(h.clock.now() / 1000) * 1000 + 3600_000, 'DurationSeconds defaults to one hour');
    const identity = await stsQuery(h, 'GetCallerIdentity', {}, credsOf(answer));
    assert.equal(identity.status, 200, identity.body);
    assert.equal(identity.field('Arn'), `arn:aws:sts::${h.accountId}:assumed-role/ci-deployer/build-42`);
    assert.equal(identity.field('UserId'), answer.field('AssumedRoleId'));
    assert.equal((await iam(credsOf(answer), 'ListRoles')).status, 200, 'the role allows iam:ListRoles');
    assert.equal((await iam(credsOf(answer), 'ListGroups')).code, 'AccessDenied', 'and nothing it does not allow');
  });

  it('records AssumeRoleWithWebIdentity as CloudTrail does, with no token and no secret', async () => {
    const webIdentityToken = await token({ sub: 'repo:acme/audited' });
    const answer = await assume(webIdentityToken);
    assert.equal(answer.status, 200, answer.body);
    const rows = (await h.service.store.read((r) => r.audit.list({ eventName: 'AssumeRoleWithWebIdentity', limit: 1000 }))).filter((row) => row.access_key_id === answer.field('AccessKeyId'));
    assert.equal(rows.length, 1, 'one record, found by the key it issued');
    const record = JSON.parse(rows[0]!.record) as Record<string, any>;
    assert.equal(record.eventName, 'AssumeRoleWithWebIdentity');
    assert.equal(record.eventSource, 'sts.amazonaws.com');
    assert.deepEqual(record.userIdentity, { type: 'WebIdentityUser', principalId: `${providerArn}:${AUDIENCE}:repo:acme/audited`, userName: 'repo:acme/audited', identityProvider: providerArn });
    assert.deepEqual(record.requestParameters, { roleArn, roleSessionName: 'build-42' });
    assert.equal(record.responseElements.credentials.accessKeyId, answer.field('AccessKeyId'));
    assert.equal(record.responseElements.subjectFromWebIdentityToken, 'repo:acme/audited');
    assert.equal(record.recipientAccountId, h.accountId);
    const text = rows[0]!.record;
    for (const secret of [webIdentityToken, answer.field('SecretAccessKey')!, answer.field('SessionToken')!]) assert.ok(!text.includes(secret), 'no token or secret in the record');
  });

  it('speaks JSON 1.0, errors included', async () => {
    const ok = await stsJson(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn, RoleSessionName: 'json', WebIdentityToken: await token(), DurationSeconds: 900 });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.match(ok.json.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(ok.json.Credentials.Expiration, Math.floor(h.clock.now() / 1000) + 900);
    const bad = await stsJson(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn, RoleSessionName: 'json', WebIdentityToken: `${await token()}x` });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.__type, 'com.amazonaws.sts#InvalidIdentityTokenException');
    assert.equal(bad.headers['x-amzn-query-error'], 'InvalidIdentityToken;Sender');
  });

  it('refuses forged, tampered, expired, not-yet-valid, future-issued and wrongly addressed tokens', async () => {
    await refused(await token({}, { key: idp.foreignKey }), 'InvalidIdentityToken');
    const [header, payload, signature] = (await token()).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'repo:acme/admin' })).toString('base64url');
    await refused(`${header}.${tampered}.${signature}`, 'InvalidIdentityToken');
    const now = Math.floor(h.clock.now() / 1000);
    const expired = await refused(await token({ iat: now - 7200, exp: now - 3600 }), 'ExpiredTokenException');
    assert.equal(expired.status, 400);
    await refused(await token({ nbf: now + 600 }), 'InvalidIdentityToken');
    await refused(await token({ iat: now + 600, exp: now + 900 }), 'InvalidIdentityToken');
    const wrongAud = await refused(await token({ aud: 'someone-else' }), 'InvalidIdentityToken');
    assert.match(wrongAud.body, /Incorrect token audience/);
    assert.equal((await assume(await token({ aud: ['someone-else', AUDIENCE] }))).status, 200, 'an audience of the provider’s list among others will do');
    // 'second-audience' is in the provider's list, so the token passes; the trust policy asks for the first.
    await refused(await token({ aud: 'second-audience' }), 'AccessDenied');
    await refused(await token({ sub: undefined }), 'InvalidIdentityToken');
  });

  it('refuses a token of an issuer not registered in the role’s account, and http off loopback', async () => {
    const other = await startTestIdp({ clientId: AUDIENCE, now: () => h.clock.now() });
    try {
      const foreign = await refused(await other.sign(claims({ iss: other.issuer })), 'InvalidIdentityToken');
      assert.match(foreign.body, /No OpenIDConnect provider found in your account for http:\/\/127\.0\.0\.1:\d+/);
      // The registered issuer's own keys, but another issuer's name: still refused.
      await refused(await idp.sign(claims({ iss: other.issuer })), 'InvalidIdentityToken');
      await refused(await token({ iss: 'http://sso.example.com' }), 'InvalidIdentityToken');
      await refused(await token({ iss: `${idp.issuer}/` }), 'InvalidIdentityToken');
    } finally {
      await other.close();
    }
  });

  it('refuses alg none, HS256 keyed with the public key, and an unknown kid', async () => {
    const unsigned = (body: JWTPayload) => `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.`;
    await refused(unsigned(claims()), 'InvalidIdentityToken');
    const publicJwk = ((await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: Record<string, string>[] }).keys[0]!;
    const hmacKey = new TextEncoder().encode(JSON.stringify({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y }));
    await refused(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(hmacKey), 'InvalidIdentityToken');
    const unknownKid = await refused(await token({}, { kid: 'not-published' }), 'InvalidIdentityToken');
    assert.match(unknownKid.body, /verification key/);
    await refused('not.a.jwt', 'InvalidIdentityToken');
  });

  it('answers IDPCommunicationError when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const issuer = `http://127.0.0.1:${port}`;
    await registerProvider(h, issuer, [AUDIENCE]);
    const answer = await refused(await idp.sign(claims({ iss: issuer })), 'IDPCommunicationError');
    assert.equal(answer.status, 400);
  });

  it('evaluates the trust policy with the provider’s condition keys, an explicit Deny winning', async () => {
    const notAdmitted = await refused(await token({ sub: 'repo:evil/app' }), 'AccessDenied');
    assert.equal(notAdmitted.status, 403);
    assert.match(notAdmitted.body, /Not authorized to perform sts:AssumeRoleWithWebIdentity/);
    await refused(await token({ sub: 'repo:acme/forbidden' }), 'AccessDenied');
    const other = await registerProvider(h, idp.issuer.replace('127.0.0.1', 'localhost'), [AUDIENCE]);
    assert.ok(other);
    await refused(await token({}), 'AccessDenied', { RoleArn: roleArn.replace('ci-deployer', 'no-such-role') });
  });

  it('checks each parameter as STS’s model does', async () => {
    const t = await token();
    const tooShort = await refused(t, 'ValidationError', { DurationSeconds: '899' });
    assert.match(tooShort.body, /Value &#39;899&#39; at &#39;durationSeconds&#39; failed to satisfy constraint: Member must have value greater than or equal to 900/);
    assert.match((await refused(t, 'ValidationError', { DurationSeconds: '7201' })).body, /MaxSessionDuration/);
    assert.equal((await assume(t, { DurationSeconds: '7200' })).status, 200, 'up to the role’s maximum');
    assert.match((await refused(t, 'ValidationError', { RoleSessionName: 'has space' })).body, /roleSessionName/);
    assert.match((await refused('abc', 'ValidationError')).body, /Value at &#39;webIdentityToken&#39;/, 'the token is never echoed');
    await refused(t, 'ValidationError', { ProviderId: 'www.amazon.com' });
    await refused(t, 'ValidationError', { RoleArn: 'arn:aws:iam::111111111111:user/alice' });
    const missing = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn });
    assert.match(missing.body, /2 validation errors detected/);
  });

  it('limits the session to the intersection of the role’s and the session policies', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:CreateUser', 'iam:ListGroups'], Resource: '*' }] });
    const answer = await assume(await token(), { Policy: policy });
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.field('PackedPolicySize')!, /^\d+$/);
    const creds = credsOf(answer);
    assert.equal((await iam(creds, 'ListRoles')).status, 200, 'allowed by both');
    assert.equal((await iam(creds, 'ListUsers')).code, 'AccessDenied', 'the role allows it, the session policy does not');
    assert.equal((await iam(creds, 'ListGroups')).code, 'AccessDenied', 'the session policy allows it, the role does not: no widening');
    await refused(await token(), 'MalformedPolicyDocument', { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' });
    await refused(await token(), 'ValidationError', { Policy: ' '.repeat(2049) });
    const managed = await assume(await token(), { 'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    assert.equal(managed.status, 200, managed.body);
  });

  it('takes session tags and the source identity from the token', async () => {
    const tagged = await makeRole(
      h,
      'tagged',
      trustPolicy({ Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'] }),
    );
    await h.service.deps.store.transaction(async (tx) => {
      const role = (await tx.iamRoles.findByName(h.accountId, 'tagged'))!;
      await tx.iamPrincipalPolicies.putInline({ owner_id: role.id, owner_type: 'role', account_id: h.accountId, name: 'by-tag', document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'infra' } } }] }), updated_at: h.clock.now() });
      await tx.policyState.bump([`account:${h.accountId}`]);
    });
    const withClaims = (team: string) => token({ 'https://aws.amazon.com/tags': { principal_tags: { team: [team] }, transitive_tag_keys: ['team'] }, 'https://aws.amazon.com/source_identity': 'alice@acme' });
    const infra = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: tagged, RoleSessionName: 'tags', WebIdentityToken: await withClaims('infra') });
    assert.equal(infra.status, 200, infra.body);
    assert.equal(infra.field('SourceIdentity'), 'alice@acme');
    assert.equal((await iam(credsOf(infra), 'ListRoles')).status, 200, 'the session tag team=infra is aws:PrincipalTag/team');
    const sales = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: tagged, RoleSessionName: 'tags', WebIdentityToken: await withClaims('sales') });
    assert.equal((await iam(credsOf(sales), 'ListRoles')).code, 'AccessDenied');
    // The first role's trust allows sts:TagSession; a role whose trust does not is refused tags.
    const untaggable = await makeRole(h, 'untaggable', trustPolicy({ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' }));
    const noTagSession = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: untaggable, RoleSessionName: 'tags', WebIdentityToken: await withClaims('infra') });
    assert.equal(noTagSession.code, 'AccessDenied');
    const badTags = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: tagged, RoleSessionName: 'tags', WebIdentityToken: await token({ 'https://aws.amazon.com/tags': { principal_tags: { 'bad key!': ['x'] } } }) });
    assert.equal(badTags.code, 'InvalidIdentityToken');
  });

  it('is answered unsigned; every other operation still needs a signature', async () => {
    const unsigned = await stsQuery(h, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'x' });
    assert.equal(unsigned.code, 'MissingAuthenticationToken');
    const wrongVersion = await h.service.app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'Action=AssumeRoleWithWebIdentity&Version=1999' });
    assert.match(wrongVersion.body, /MissingAuthenticationToken/);
  });

  it('revoked role sessions are refused at once', async () => {
    const answer = await assume(await token());
    const creds = credsOf(answer);
    assert.equal((await stsQuery(h, 'GetCallerIdentity', {}, creds)).status, 200);
    const role = (await h.service.store.read((r) => r.iamRoles.findByName(h.accountId, 'ci-deployer')))!;
    assert.ok((await h.service.store.transaction((tx) => tx.stsSessions.revokeRoleSessions(role.id, h.clock.now() + 1, 'revoked by test', h.clock.now()))) >= 1);
    assert.equal((await stsQuery(h, 'GetCallerIdentity', {}, creds)).code, 'ExpiredToken');
  });
});
