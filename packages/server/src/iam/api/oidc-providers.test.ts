// IAM's OpenID Connect provider operations through the official @aws-sdk/client-iam on a real
// socket, authorised by policy, sharing the store of `keyless admin create-oidc-provider`: a
// provider made here has no client secret, so it is no console sign-in option, but its tokens are
// what AssumeRoleWithWebIdentity takes, for each client id it lists.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { startHarness, type Harness } from '../../testing/harness.ts';
import { lastEvent, login, newUser } from '../../testing/iam.ts';
import { makeRole, stsQuery, trustPolicy } from '../../testing/sts.ts';
import { startTestIdp, type TestIdp } from '../../testing/test-idp.ts';
import { IAM_FULL_ACCESS_ARN, SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../policy/index.ts';

describe('IAM OpenID Connect providers with @aws-sdk/client-iam', () => {
  let h: Harness;
  let idp: TestIdp;
  let admin: IAMClient;
  let alice: IAMClient;

  before(async () => {
    h = await startHarness();
    await h.service.app.listen({ host: '127.0.0.1', port: 0 });
    const endpoint = `http://127.0.0.1:${(h.service.app.server.address() as AddressInfo).port}`;
    idp = await startTestIdp({ clientId: 'sts.amazonaws.com', now: () => h.clock.now() });
    await newUser(h, 'admin', [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, IAM_FULL_ACCESS_ARN]);
    admin = new IAMClient({ region: 'us-east-1', endpoint, credentials: (await login(h, 'admin')).accessToken, maxAttempts: 1 });
    alice = new IAMClient({ region: 'us-east-1', endpoint, credentials: (await login(h, 'alice')).accessToken, maxAttempts: 1 });
  });
  after(async () => {
    admin?.destroy();
    alice?.destroy();
    await idp?.close();
    await h?.close();
  });

  const token = (aud: string) => {
    const now = Math.floor(h.clock.now() / 1000);
    return idp.sign({ iss: idp.issuer, aud, sub: 'system:serviceaccount:ci:deployer', iat: now, exp: now + 300 });
  };

  it('creates, reads, lists, extends and deletes a provider whose tokens STS then takes', async () => {
    const created = await admin.send(new CreateOpenIDConnectProviderCommand({ Url: idp.issuer, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['0123456789abcdef0123456789abcdef01234567'] }));
    const arn = created.OpenIDConnectProviderArn!;
    const path = idp.issuer.replace(/^http:\/\//, '');
    assert.equal(arn, `arn:aws:iam::${h.accountId}:oidc-provider/${path}`);
    const got = await admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.equal(got.Url, path);
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.ok(got.CreateDate instanceof Date);
    assert.deepEqual((await admin.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: arn }]);
    h.clock.advance(1000);
    await admin.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'kubernetes' }));
    await admin.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'kubernetes' }));
    assert.deepEqual((await admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).ClientIDList, ['sts.amazonaws.com', 'kubernetes']);
    assert.equal((await lastEvent(h, 'AddClientIDToOpenIDConnectProvider')).requestParameters.clientID, 'kubernetes');
    await assert.rejects(admin.send(new CreateOpenIDConnectProviderCommand({ Url: idp.issuer, ClientIDList: ['x'] })), { name: 'EntityAlreadyExistsException' });

    // No console sign-in option: it has no client secret.
    const page = await h.browser().request('GET', '/console/signin?mode=iam');
    assert.doesNotMatch(page.body, new RegExp(path.replace(/[.]/g, '\\.')));

    const roleArn = await makeRole(h, 'k8s-deployer', trustPolicy({ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity' }));
    const assume = async (aud: string) => stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn, RoleSessionName: 'pod', WebIdentityToken: await token(aud) });
    assert.equal((await assume('kubernetes')).status, 200, 'the client id added later is an audience');
    assert.equal((await assume('elsewhere')).code, 'InvalidIdentityToken');

    await admin.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await assert.rejects(admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), { name: 'NoSuchEntityException' });
    assert.equal((await assume('kubernetes')).code, 'InvalidIdentityToken', 'a deleted provider vouches for nobody');
    assert.equal((await lastEvent(h, 'DeleteOpenIDConnectProvider')).requestParameters.openIDConnectProviderArn, arn);
  });

  it('is authorised by policy: a user without iam:CreateOpenIDConnectProvider is refused', async () => {
    await assert.rejects(alice.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] })), { name: 'AccessDenied' });
    await assert.rejects(alice.send(new ListOpenIDConnectProvidersCommand({})), { name: 'AccessDenied' });
    await assert.rejects(admin.send(new CreateOpenIDConnectProviderCommand({ Url: 'http://sso.example.com', ClientIDList: ['a'] })), { name: 'InvalidInputException' });
    await assert.rejects(admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${h.accountId}:oidc-provider/none.example.com` })), { name: 'NoSuchEntityException' });
  });
});
