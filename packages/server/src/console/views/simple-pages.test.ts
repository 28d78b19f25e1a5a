// confirmationPage, errorPage, signedOutPage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSOLE_JS_PATH } from '../assets/paths.ts';
import { confirmationPage } from './confirmation.ts';
import { errorPage } from './error.ts';
import { signedOutPage } from './signed-out.ts';
import { forms, HOSTILE, tags, textOf } from '../../testing/pages.ts';

describe('confirmationPage', () => {
  const code = 'Y29kZT1hYmMmc3RhdGU9MGI2ZjRhNGUtMWMxZC00YzU1LTlhMzktMGY4YjdiMGI4ZjU1';
  const page = confirmationPage({ verificationCode: code });

  it('shows the code in the box the copy button points at', () => {
    const box = tags(page).find((tag) => tag.attrs.get('id') === 'verification-code');
    assert.ok(box);
    assert.match(page, new RegExp(`id="verification-code" dir="ltr">${code}</code>`));
    const button = tags(page).find((tag) => tag.name === 'button');
    assert.equal(button!.attrs.get('data-copy'), 'verification-code');
    assert.equal(button!.attrs.get('type'), 'button');
    // Hidden until console.js wires it up.
    assert.ok(button!.attrs.has('hidden'));
    assert.ok(tags(page).some((tag) => tag.attrs.get('id') === button!.attrs.get('data-copy-status') && tag.attrs.get('role') === 'status'));
  });

  it('loads console.js and has no form', () => {
    assert.ok(tags(page).some((tag) => tag.name === 'script' && tag.attrs.get('src') === CONSOLE_JS_PATH && tag.attrs.has('defer')));
    assert.deepEqual(forms(page), []);
  });

  it('tells the user what to do with it', () => {
    assert.ok(textOf(page).includes('Paste this code into the terminal where you ran keyless login --remote. It works once and expires in 5 minutes.'));
  });

  it('escapes the code', () => {
    assert.ok(textOf(confirmationPage({ verificationCode: HOSTILE })).includes(HOSTILE.replace(/\s+/g, ' ')));
  });
});

describe('errorPage', () => {
  it('shows title, message, detail and the request id', () => {
    const page = errorPage({ title: 'Unknown client', message: 'This sign-in link is not valid.', detail: 'client_id is not one Keyless knows.', requestId: 'req-123' });
    assert.match(page, /<title>Unknown client · Keyless<\/title>/);
    assert.match(page, /<h1>Unknown client<\/h1>/);
    const text = textOf(page);
    for (const part of ['This sign-in link is not valid.', 'client_id is not one Keyless knows.', 'Request ID: req-123']) assert.ok(text.includes(part), part);
  });

  it('omits what it is not given', () => {
    const page = errorPage({ title: 'Not found', message: 'There is no page here.' });
    assert.ok(!page.includes('Request ID'));
    assert.ok(!page.includes('class="small"'));
  });

  it('never redirects: no refresh meta, no form', () => {
    const page = errorPage({ title: HOSTILE, message: HOSTILE, detail: HOSTILE, requestId: HOSTILE });
    assert.ok(!tags(page).some((tag) => tag.name === 'meta' && tag.attrs.has('http-equiv')));
    assert.deepEqual(forms(page), []);
  });
});

describe('signedOutPage', () => {
  it('counts the remaining sessions', () => {
    assert.ok(textOf(signedOutPage({ remaining: 1 })).includes('1 other session.'));
    assert.ok(textOf(signedOutPage({ remaining: 3 })).includes('3 other sessions.'));
    assert.ok(textOf(signedOutPage({ remaining: 0 })).includes('no active session'));
  });

  it('links onwards: to the console when sessions remain, to sign-in otherwise', () => {
    const href = (remaining: number) => tags(signedOutPage({ remaining })).filter((tag) => tag.name === 'a' && tag.attrs.get('class')?.includes('button')).map((tag) => tag.attrs.get('href'));
    assert.deepEqual(href(2), ['/console']);
    assert.deepEqual(href(0), ['/console/signin']);
  });
});
