import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assumedRoleArn, conditionClaims, IssuerError, oidcProviderArn, parseIssuer, roleSessionName, webIdentityContext } from './provider-identity.ts';

describe('provider identity', () => {
  it('names the provider by its issuer without the scheme, as AWS does', () => {
    assert.deepEqual(parseIssuer('https://sso.example.com'), { issuer: 'https://sso.example.com', path: 'sso.example.com' });
    assert.deepEqual(parseIssuer('https://kc.example.com/realms/acme/'), { issuer: 'https://kc.example.com/realms/acme', path: 'kc.example.com/realms/acme' });
    assert.deepEqual(parseIssuer('http://127.0.0.1:5556'), { issuer: 'http://127.0.0.1:5556', path: '127.0.0.1:5556' });
    assert.equal(oidcProviderArn('111111111111', 'sso.example.com'), 'arn:aws:iam::111111111111:oidc-provider/sso.example.com');
  });

  it('refuses plain http off loopback, queries, fragments and non-URLs', () => {
    for (const bad of ['http://sso.example.com', 'https://sso.example.com/?tenant=1', 'https://sso.example.com/#x', 'sso.example.com', 'ftp://127.0.0.1']) {
      assert.throws(() => parseIssuer(bad), IssuerError, bad);
    }
  });

  it('turns claims into condition keys, dropping nested values', () => {
    const claims = conditionClaims({ sub: 'u1', email: 'a@example.com', groups: ['x', 3, 'y'], email_verified: true, address: { country: 'NZ' }, 'bad key': 'v' });
    assert.deepEqual(claims, { sub: 'u1', email: 'a@example.com', groups: ['x', 'y'], email_verified: true });
    assert.deepEqual(webIdentityContext('sso.example.com', 'arn:p', claims), {
      'aws:FederatedProvider': 'arn:p',
      'sso.example.com:sub': 'u1',
      'sso.example.com:email': 'a@example.com',
      'sso.example.com:groups': ['x', 'y'],
      'sso.example.com:email_verified': true,
    });
  });

  it('names the role session after the e-mail address, else sub, within STS limits', () => {
    assert.equal(roleSessionName({ sub: 'u1', email: 'ada.l+aws@example.com' }), 'ada.l+aws@example.com');
    assert.equal(roleSessionName({ sub: 'google-oauth2|1234' }), 'google-oauth2-1234');
    assert.equal(roleSessionName({ sub: 'x' }), 'x-');
    assert.equal(roleSessionName({ sub: 'a'.repeat(100) }).length, 64);
    assert.equal(roleSessionName({ sub: 'u1', email: 'Ünïcode name@example.com' }), '-n-code-name@example.com');
    assert.equal(assumedRoleArn('111111111111', 'Developer', 'ada@example.com'), 'arn:aws:sts::111111111111:assumed-role/Developer/ada@example.com');
  });
});
