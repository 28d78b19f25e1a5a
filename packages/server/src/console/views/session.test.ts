import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTimeLeft, isoDuration, sessionDetails } from './session.ts';
import { HOSTILE, session, tags, textOf } from '../../testing/pages.ts';

describe('formatTimeLeft', () => {
  const cases: Array<[number, string]> = [
    [11 * 3600 + 42 * 60, '11 h 42 min'],
    [11 * 3600 + 42 * 60 + 59, '11 h 42 min'],
    [12 * 3600, '12 h'],
    [3600, '1 h'],
    [3599, '59 min'],
    [60, '1 min'],
    [59, 'less than a minute'],
    [1, 'less than a minute'],
    [0, 'expired'],
    [-30, 'expired'],
    [Number.NaN, 'expired'],
    [Number.POSITIVE_INFINITY, 'expired'],
    [36 * 3600 + 5 * 60, '36 h 5 min'],
  ];
  for (const [seconds, expected] of cases) {
    it(`${seconds} s → ${expected}`, () => assert.equal(formatTimeLeft(seconds), expected));
  }
});

describe('isoDuration', () => {
  it('is an ISO 8601 duration in hours and minutes', () => {
    assert.equal(isoDuration(11 * 3600 + 42 * 60 + 30), 'PT11H42M');
    assert.equal(isoDuration(-5), 'PT0H0M');
  });
});

describe('sessionDetails', () => {
  it('shows name, kind, MFA, ARN, account and time left', () => {
    const text = textOf(sessionDetails(session()).__html);
    for (const part of ['alice', 'IAM user', 'MFA', 'arn:aws:iam::111111111111:user/alice', '111111111111', '11 h 42 min']) {
      assert.ok(text.includes(part), part);
    }
  });

  it('labels each kind and omits the MFA badge without MFA', () => {
    assert.ok(textOf(sessionDetails(session({ kind: 'root', mfa: false })).__html).includes('Root user'));
    assert.ok(!textOf(sessionDetails(session({ mfa: false })).__html).includes('MFA'));
    assert.ok(textOf(sessionDetails(session({ kind: 'role' })).__html).includes('Role'));
  });

  it('escapes every field', () => {
    const benign = tags(sessionDetails(session()).__html).map((tag) => tag.name);
    const out = sessionDetails(session({ displayName: HOSTILE, arn: HOSTILE, accountId: HOSTILE })).__html;
    assert.deepEqual(tags(out).map((tag) => tag.name), benign);
    assert.ok(textOf(out).includes(HOSTILE.replace(/\s+/g, ' ')));
  });
});
