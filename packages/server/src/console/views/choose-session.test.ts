import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeHiddenFields, chooseSessionPage, type ChooseSessionPageModel } from './choose-session.ts';
import { AUTHORIZE_PARAMS, forms, HOSTILE, session, tags, textOf } from '../../testing/pages.ts';

const model = (overrides: Partial<ChooseSessionPageModel> = {}): ChooseSessionPageModel => ({
  csrfToken: 'csrf-token',
  client: { kind: 'same-device', redirectUri: AUTHORIZE_PARAMS.redirect_uri },
  authorizeParams: AUTHORIZE_PARAMS,
  sessions: [
    session(),
    session({ id: 'sess_2', arn: 'arn:aws:sts::222222222222:assumed-role/Admin/bob', accountId: '222222222222', displayName: 'Admin/bob', kind: 'role', remainingSeconds: 900, mfa: false }),
  ],
  signInAnotherUrl: '/console/signin?return_to=%2Fv1%2Fauthorize%3Fstate%3Dx',
  refreshUrl: '/v1/authorize?state=x',
  maxSessions: 5,
  ...overrides,
});

const fields = (inputs: Array<{ name: string; value: string | undefined }>) => Object.fromEntries(inputs.map((i) => [i.name, i.value]));

describe('chooseSessionPage', () => {
  it('has one continue form per session, re-posting session_id, every authorize param and csrf', () => {
    const page = chooseSessionPage(model());
    const continues = forms(page).filter((form) => form.action === '/v1/authorize/continue');
    assert.equal(continues.length, 2);
    continues.forEach((form, index) => {
      assert.ok(form.inputs.every((input) => input.type === 'hidden'));
      assert.deepEqual(fields(form.inputs), { csrf: 'csrf-token', session_id: ['sess_1', 'sess_2'][index], ...AUTHORIZE_PARAMS });
    });
    assert.deepEqual(continues.map((form) => form.buttons), [['Continue as alice'], ['Continue as Admin/bob']]);
  });

  it('has a cancel form posting the params to /v1/authorize/deny', () => {
    const deny = forms(chooseSessionPage(model())).filter((form) => form.action === '/v1/authorize/deny');
    assert.equal(deny.length, 1);
    assert.deepEqual(fields(deny[0]!.inputs), { csrf: 'csrf-token', ...AUTHORIZE_PARAMS });
    assert.deepEqual(deny[0]!.buttons, ['Cancel']);
  });

  it('does not let an authorize param named csrf or session_id duplicate the page’s own fields', () => {
    const page = chooseSessionPage(model({ authorizeParams: { ...AUTHORIZE_PARAMS, csrf: 'attacker', session_id: 'attacker' } }));
    for (const form of forms(page)) {
      assert.equal(form.inputs.filter((input) => input.name === 'csrf').length, 1);
      assert.equal(form.inputs.filter((input) => input.name === 'session_id').length, form.action === '/v1/authorize/continue' ? 1 : 0);
      assert.ok(!form.inputs.some((input) => input.value === 'attacker'));
    }
    assert.deepEqual(authorizeHiddenFields({ a: '1', csrf: 'x', session_id: 'y' }), [['a', '1']]);
  });

  it('lists ARN, account and time left of each session', () => {
    const text = textOf(chooseSessionPage(model()));
    for (const part of ['arn:aws:iam::111111111111:user/alice', '111111111111', '11 h 42 min', 'arn:aws:sts::222222222222:assumed-role/Admin/bob', '15 min']) {
      assert.ok(text.includes(part), part);
    }
  });

  it('says in plain words who is asking', () => {
    const same = textOf(chooseSessionPage(model()));
    assert.ok(same.includes('The AWS CLI on this computer is asking for credentials'));
    assert.ok(same.includes('http://127.0.0.1:53037/oauth/callback'));
    const cross = textOf(chooseSessionPage(model({ client: { kind: 'cross-device', redirectUri: 'https://k.example/v1/sessions/confirmation' } })));
    assert.ok(cross.includes('A device is asking for credentials'));
  });

  it('links to sign in to another session and to refresh', () => {
    const links = tags(chooseSessionPage(model())).filter((tag) => tag.name === 'a').map((tag) => tag.attrs.get('href'));
    assert.ok(links.includes('/console/signin?return_to=%2Fv1%2Fauthorize%3Fstate%3Dx'));
    assert.ok(links.includes('/v1/authorize?state=x'));
  });

  it('still offers another sign-in when the browser is at the maximum, and says so', () => {
    const page = chooseSessionPage(model({ maxSessions: 2 }));
    assert.ok(tags(page).some((tag) => tag.name === 'a' && tag.attrs.get('href')?.startsWith('/console/signin')));
    assert.ok(textOf(page).includes('it keeps at most 2'));
    assert.ok(!textOf(chooseSessionPage(model())).includes('keeps at most'));
  });

  it('refuses javascript: in its links', () => {
    const page = chooseSessionPage(model({ signInAnotherUrl: 'javascript:alert(1)', refreshUrl: ' JAVASCRIPT:alert(2)' }));
    assert.ok(!/javascript:/i.test(page));
  });

  it('copes with no session', () => {
    const page = chooseSessionPage(model({ sessions: [] }));
    assert.deepEqual(forms(page).map((form) => form.action), ['/v1/authorize/deny']);
    assert.ok(textOf(page).includes('no active session'));
  });

  it('escapes hostile params, names and ARNs', () => {
    const page = chooseSessionPage(
      model({
        csrfToken: HOSTILE,
        authorizeParams: { [HOSTILE]: HOSTILE, state: HOSTILE },
        sessions: [session({ id: HOSTILE, displayName: HOSTILE, arn: HOSTILE })],
        client: { kind: 'same-device', redirectUri: HOSTILE },
      }),
    );
    for (const form of forms(page)) {
      assert.equal(fields(form.inputs)[HOSTILE], HOSTILE);
      assert.equal(fields(form.inputs).csrf, HOSTILE);
    }
    assert.equal(fields(forms(page)[0]!.inputs).session_id, HOSTILE);
    assert.equal(forms(page).length, 2);
  });
});
