import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signInPage, signInUrl } from './sign-in.ts';
import { forms, HOSTILE, tags, textOf } from '../../testing/pages.ts';

const input = (page: string, name: string) => tags(page).find((tag) => tag.name === 'input' && tag.attrs.get('name') === name);

describe('signInPage', () => {
  it('root: email and password, posted with mode and csrf', () => {
    const page = signInPage({ csrfToken: 't0k', mode: 'root' });
    const [form] = forms(page);
    assert.equal(forms(page).length, 1);
    assert.equal(form!.action, '/console/signin');
    assert.deepEqual(
      form!.inputs.map(({ name, type }) => [name, type]),
      [['csrf', 'hidden'], ['mode', 'hidden'], ['email', 'email'], ['password', 'password']],
    );
    assert.equal(input(page, 'mode')!.attrs.get('value'), 'root');
    assert.equal(input(page, 'email')!.attrs.get('autocomplete'), 'username');
    assert.equal(input(page, 'password')!.attrs.get('autocomplete'), 'current-password');
    for (const name of ['email', 'password']) assert.ok(input(page, name)!.attrs.has('required'), name);
    assert.ok(input(page, 'email')!.attrs.has('autofocus'));
  });

  it('iam: account, user name and password', () => {
    const page = signInPage({ csrfToken: 't0k', mode: 'iam' });
    assert.deepEqual(
      forms(page)[0]!.inputs.map(({ name }) => name),
      ['csrf', 'mode', 'account', 'username', 'password'],
    );
    assert.equal(input(page, 'mode')!.attrs.get('value'), 'iam');
    assert.equal(input(page, 'username')!.attrs.get('autocomplete'), 'username');
    for (const name of ['account', 'username', 'password']) assert.ok(input(page, name)!.attrs.has('required'), name);
  });

  it('labels every visible field', () => {
    for (const mode of ['root', 'iam'] as const) {
      const page = signInPage({ csrfToken: 't', mode });
      const labelled = new Set(tags(page).filter((tag) => tag.name === 'label').map((tag) => tag.attrs.get('for')));
      for (const field of tags(page).filter((tag) => tag.name === 'input' && tag.attrs.get('type') !== 'hidden')) {
        assert.ok(labelled.has(field.attrs.get('id')), `${mode}: ${field.attrs.get('name')}`);
      }
    }
  });

  it('switches mode with links that keep return_to, marking the current one', () => {
    const page = signInPage({ csrfToken: 't', mode: 'iam', returnTo: '/v1/authorize?state=a&b=c' });
    const links = tags(page).filter((tag) => tag.attrs.get('class') === 'tab');
    assert.deepEqual(
      links.map((tag) => [tag.attrs.get('href'), tag.attrs.get('aria-current')]),
      [
        ['/console/signin?mode=root&return_to=%2Fv1%2Fauthorize%3Fstate%3Da%26b%3Dc', undefined],
        ['/console/signin?mode=iam&return_to=%2Fv1%2Fauthorize%3Fstate%3Da%26b%3Dc', 'page'],
      ],
    );
    assert.equal(input(page, 'return_to')!.attrs.get('value'), '/v1/authorize?state=a&b=c');
  });

  it('omits return_to when there is none', () => {
    const page = signInPage({ csrfToken: 't', mode: 'root' });
    assert.equal(input(page, 'return_to'), undefined);
    assert.equal(signInUrl('iam'), '/console/signin?mode=iam');
  });

  it('shows the error in an alert, re-renders what was typed, never the password, and focuses the password', () => {
    const page = signInPage({
      csrfToken: 't',
      mode: 'iam',
      error: 'Incorrect user name or password.',
      values: { account: '111111111111', username: 'alice', email: 'ignored@example.com' },
    });
    assert.match(page, /<div class="alert alert-error" role="alert">Incorrect user name or password\.<\/div>/);
    assert.equal(input(page, 'account')!.attrs.get('value'), '111111111111');
    assert.equal(input(page, 'username')!.attrs.get('value'), 'alice');
    assert.ok(!input(page, 'password')!.attrs.has('value'));
    assert.ok(input(page, 'password')!.attrs.has('autofocus'));
    assert.equal(tags(page).filter((tag) => tag.attrs.has('autofocus')).length, 1);
    assert.ok(!page.includes('ignored@example.com'));
  });

  it('shows a notice as a status, and no alert without an error', () => {
    const page = signInPage({ csrfToken: 't', mode: 'root', notice: 'You signed out.' });
    assert.match(page, /role="status">You signed out\.</);
    assert.ok(!page.includes('role="alert"'));
  });

  it('escapes hostile values everywhere they appear', () => {
    const page = signInPage({ csrfToken: HOSTILE, mode: 'root', returnTo: HOSTILE, error: HOSTILE, values: { email: HOSTILE } });
    assert.equal(input(page, 'csrf')!.attrs.get('value'), HOSTILE);
    assert.equal(input(page, 'return_to')!.attrs.get('value'), HOSTILE);
    assert.equal(input(page, 'email')!.attrs.get('value'), HOSTILE);
    assert.equal(tags(page).filter((tag) => tag.name === 'script').length, 0);
    assert.ok(textOf(page).includes(HOSTILE.replace(/\s+/g, ' ')));
  });
});
