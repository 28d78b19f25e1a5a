// userIdentity of a role session, as CloudTrail writes AssumedRole: principalId `AROA…:{session}`
// (sessions store the role's id alone) and sessionContext.sessionIssuer naming the role.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEYLESS_ADMIN, userIdentityJson, userIdentityOf, usernameOf, type Actor } from './identity.ts';

describe('userIdentityOf: AssumedRole', () => {
  const session = { principalId: 'AROAEXAMPLEROLE000001', accountId: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/Developer/ada@example.com', sessionCreatedAt: Date.UTC(2026, 10, 23, 12), mfa: false };

  it('has the AssumedRole shape with the session name in principalId and the role as sessionIssuer', () => {
    assert.deepEqual(userIdentityOf(session, 'ASIAEXAMPLEKEY000001'), {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLE000001:ada@example.com',
      arn: session.arn,
      accountId: '111111111111',
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLE000001', arn: 'arn:aws:iam::111111111111:role/Developer', accountId: '111111111111', userName: 'Developer' },
        attributes: { creationDate: '2026-11-23T12:00:00Z', mfaAuthenticated: 'false' },
      },
    });
  });

  it('keeps a principalId that already names the session, and looks events up by the session name', () => {
    assert.equal(userIdentityOf({ ...session, principalId: 'AROAEXAMPLEROLE000001:ada@example.com' }).principalId, 'AROAEXAMPLEROLE000001:ada@example.com');
    assert.equal(usernameOf(session), 'ada@example.com');
  });
});

describe('userIdentityOf: WebIdentityUser (a refused federated sign-in)', () => {
  const provider = 'arn:aws:iam::111111111111:oidc-provider/sso.example.com';

  it('names provider, client and sub when the ID token verified; the sub is the Username', () => {
    const actor = { webIdentity: { provider, accountId: '111111111111', audience: 'keyless', subject: 'u-ada' } };
    assert.deepEqual(userIdentityOf(actor), { type: 'WebIdentityUser', principalId: `${provider}:keyless:u-ada`, userName: 'u-ada', identityProvider: provider });
    assert.equal(usernameOf(actor), 'u-ada');
  });

  it('names the provider alone when nobody could be verified, with no Username', () => {
    const actor = { webIdentity: { provider, accountId: '111111111111' } };
    assert.deepEqual(userIdentityOf(actor), { type: 'WebIdentityUser', identityProvider: provider });
    assert.equal(usernameOf(actor), null);
  });
});

describe('userIdentityJson: the pre-serialised userIdentity', () => {
  const created = Date.UTC(2026, 10, 23, 12);
  const actors: Actor[] = [
    { principalId: '111111111111', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root', sessionCreatedAt: created, mfa: true },
    { principalId: '111111111111', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root' },
    { principalId: 'AIDAEXAMPLEUSER00001', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/team/alice', sessionCreatedAt: created },
    { principalId: 'AIDAEXAMPLEUSER00002', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/"q\\u\u00e9"', sessionCreatedAt: created },
    { principalId: 'AROAEXAMPLEROLE000001', accountId: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/Developer/ada@example.com', sessionCreatedAt: created, mfa: false },
    { principalId: 'AROAEXAMPLEROLE000001', accountId: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/Developer/ada', sessionCreatedAt: created, federatedProvider: 'arn:aws:iam::111111111111:oidc-provider/sso.example.com' },
    { principalId: 'AROAEXAMPLEROLE000001', accountId: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/Developer/ada' },
    { principalId: 'X', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:group/not-a-principal' },
    KEYLESS_ADMIN,
    { webIdentity: { provider: 'arn:aws:iam::111111111111:oidc-provider/sso.example.com', accountId: '111111111111', audience: 'keyless', subject: 'u-ada' } },
  ];

  it('is JSON.stringify(userIdentityOf(…)) byte for byte, with a key and without, first call and cached', () => {
    for (const actor of actors) {
      for (const key of ['ASIAEXAMPLEKEY000001', 'ASIA"odd\\key', '', undefined]) {
        const expected = JSON.stringify(userIdentityOf(actor, key));
        assert.equal(userIdentityJson(actor, key), expected);
        assert.equal(userIdentityJson(actor, key), expected, 'from the cache');
      }
    }
  });

  it('keeps apart sessions that differ in anything the identity shows', () => {
    const base = { principalId: 'AIDAEXAMPLEUSER00001', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', sessionCreatedAt: created, mfa: false };
    const variants = [base, { ...base, mfa: true }, { ...base, sessionCreatedAt: created + 1000 }, { ...base, sessionCreatedAt: undefined }, { ...base, principalId: 'AIDAEXAMPLEUSER00009' }];
    for (const actor of variants) userIdentityJson(actor, 'ASIAEXAMPLEKEY000001');
    for (const actor of variants) assert.equal(userIdentityJson(actor, 'ASIAEXAMPLEKEY000001'), JSON.stringify(userIdentityOf(actor, 'ASIAEXAMPLEKEY000001')));
    // A creation time userIdentityOf cannot write is refused, not served from the cache of the session without one.
    assert.throws(() => userIdentityJson({ ...base, sessionCreatedAt: Number.NaN }), RangeError);
  });
});
