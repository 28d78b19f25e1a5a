import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRolePage, type ChooseRolePageModel } from './choose-role.ts';
import { signInPage } from './sign-in.ts';
import { forms, HOSTILE, textOf } from '../../testing/pages.ts';

const role = (name: string, id: string, maxSessionSeconds = 3600) => ({ id, name, accountId: '111111111111', sessionArn: `arn:aws:sts::111111111111:assumed-role/${name}/ada@example.com`, maxSessionSeconds });
const model = (overrides: Partial<ChooseRolePageModel> = {}): ChooseRolePageModel => ({
  csrfToken: 'csrf-token',
  providerName: 'Example SSO',
  signedInAs: 'ada@example.com',
  choice: 'v1.sealed.choice',
  roles: [role('Developer', 'AROADEV', 7200), role('ReadOnly', 'AROARO')],
  ...overrides,
});

describe('chooseRolePage', () => {
  it('posts the sealed choice and one role_id radio per role, the first checked', () => {
    const [form] = forms(chooseRolePage(model()));
    assert.equal(form!.action, '/console/federation/role');
    assert.deepEqual(form!.inputs.map((i) => [i.name, i.value]), [['csrf', 'csrf-token'], ['choice', 'v1.sealed.choice'], ['role_id', 'AROADEV'], ['role_id', 'AROARO']]);
    assert.match(chooseRolePage(model()), /value="AROADEV" required checked/);
  });

  it('names provider, person, each role with its account, session ARN and longest session', () => {
    const text = textOf(chooseRolePage(model()));
    for (const part of ['Choose a role', 'Example SSO signed you in as ada@example.com', 'Developer', '111111111111', 'arn:aws:sts::111111111111:assumed-role/Developer/ada@example.com', 'Session up to 2 h', 'Session up to 1 h']) assert.ok(text.includes(part), part);
  });

  it('asks to confirm a single role rather than choose', () => {
    assert.match(textOf(chooseRolePage(model({ roles: [role('Developer', 'AROADEV')] }))), /Continue with this role/);
  });

  it('escapes what the provider and the administrator chose', () => {
    const page = chooseRolePage(model({ providerName: HOSTILE, signedInAs: HOSTILE }));
    assert.ok(!page.includes(HOSTILE));
  });
});

describe('signInPage with OpenID providers', () => {
  it('links each provider to its start URL, keeping return_to, and escapes its name', () => {
    const page = signInPage({ csrfToken: 'c', mode: 'iam', returnTo: '/v1/authorize?state=x', providers: [{ id: 'p1', name: HOSTILE }] });
    assert.match(page, /href="\/console\/federation\/start\?provider=p1&amp;return_to=%2Fv1%2Fauthorize%3Fstate%3Dx"/);
    assert.ok(!page.includes(HOSTILE));
    assert.doesNotMatch(signInPage({ csrfToken: 'c', mode: 'iam' }), /federation\/start/);
  });
});
