import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { homePage } from './home.ts';
import { forms, session, tags, textOf } from '../../testing/pages.ts';

describe('homePage', () => {
  const sessions = [session(), session({ id: 'sess_2', displayName: 'root', kind: 'root', arn: 'arn:aws:iam::222222222222:root' })];

  it('has a sign-out form per session and one for all, all posting session_id to /console/signout', () => {
    const all = forms(homePage({ csrfToken: 'c', sessions, maxSessions: 5 }));
    assert.deepEqual(
      all.map((form) => [form.action, form.inputs.map((input) => `${input.name}=${input.value}`)]),
      [
        ['/console/signout', ['csrf=c', 'session_id=sess_1']],
        ['/console/signout', ['csrf=c', 'session_id=sess_2']],
        ['/console/signout', ['csrf=c', 'session_id=all']],
      ],
    );
    // Each button names its session for screen readers.
    assert.deepEqual(all.map((form) => form.buttons[0]), ['Sign out of alice', 'Sign out of root', 'Sign out of all']);
  });

  it('links to sign in to another session and lists the sessions', () => {
    const page = homePage({ csrfToken: 'c', sessions, maxSessions: 5, notice: 'Signed in.' });
    assert.ok(tags(page).some((tag) => tag.name === 'a' && tag.attrs.get('href') === '/console/signin'));
    const text = textOf(page);
    for (const part of ['arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::222222222222:root', '2 of at most 5', 'Signed in.']) {
      assert.ok(text.includes(part), part);
    }
  });

  it('offers only a sign-in link when there is no session', () => {
    const page = homePage({ csrfToken: 'c', sessions: [], maxSessions: 5 });
    assert.deepEqual(forms(page), []);
    assert.ok(tags(page).some((tag) => tag.name === 'a' && tag.attrs.get('href') === '/console/signin'));
    assert.ok(textOf(page).includes('not signed in'));
  });
});
