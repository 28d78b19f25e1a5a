// Wildcard matching by mode, and the escapes that make a character literal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatcher } from './wildcard.ts';

describe('globMatcher', () => {
  const cases: Array<[string, 'action' | 'string' | 'arn', string, boolean]> = [
    ['s3:get*', 'action', 's3:getobject', true],
    ['S3:GET*', 'action', 's3:getobject', true],
    ['s3:*object', 'action', 's3:getobjectacl', false],
    ['a*b*c', 'string', 'a-b-b-c', true],
    ['a*b*c', 'string', 'a-c-b', false],
    ['a.b', 'string', 'axb', false],
    ['(x)+', 'string', '(x)+', true],
    ['line*', 'string', 'line1\nline2', true],
    ['a\\*', 'string', 'a*', true],
    ['a\\*', 'string', 'ab', false],
    ['a\\\\*', 'string', 'a\\anything', true],
    ['*', 'arn', 'not-an-arn', true],
    ['arn:aws:s3:::*', 'arn', 'arn:aws:s3:::b/k:with:colons', true],
    ['arn:aws:iam::*:user/*', 'arn', 'arn:aws:iam::111122223333:user/a', true],
    ['arn:aws:iam::*:user/*', 'arn', 'arn:aws:iam::1:2:user/a', false],
    ['arn:aws:iam::?:*', 'arn', 'arn:aws:iam:::x', false],
    ['arn:*:s3:::b', 'arn', 'arn:aws-cn:s3:::b', true],
    // several stars in one stretch: the segment matcher, not a RegExp
    ['*a*', 'string', 'xxaxx', true],
    ['**', 'string', '', true],
    ['ab*cd*ef', 'string', 'abcdef', true],
    ['ab*cd*ef', 'string', 'abcdf', false],
    ['a*aa*a', 'string', 'aaa', false],
    ['a*aa*a', 'string', 'aaaa', true],
    ['x*?b*z', 'string', 'x--bz', true],
    ['x*?b*z', 'string', 'xbz', false],
    ['*\\**', 'string', 'has*star', true],
    ['*\\**', 'string', 'no star', false],
    ['s3:*get*acl', 'action', 's3:putgetobjectacl', true],
    ['arn:aws:s3:::a*b*c', 'arn', 'arn:aws:s3:::a1b2:c', true],
    ['arn:aws:s3:::a*b*c', 'arn', 'arn:aws:s3:::a1c2b', false],
    ['arn:aws:s3:u*-*:*:r', 'arn', 'arn:aws:s3:us-east-1:1:r', true],
    ['arn:aws:s3:u*-*:*:r', 'arn', 'arn:aws:s3:us:east-1:1:r', false],
    ['arn:aws:s3:*:*:*x*', 'arn', 'arn:aws:s3:::', false],
    ['arn:aws:s3:*:*:*x*', 'arn', 'arn:aws:s3:::a:x:b', true],
  ];
  for (const [glob, mode, value, expected] of cases) {
    it(`${mode} ${glob} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => assert.equal(globMatcher(glob, mode)(value), expected));
  }
});

describe('globMatcher on hostile input', () => {
  // A backtracking RegExp for these takes minutes; the segment matcher is O(pattern × subject).
  for (const [mode, prefix] of [['string', ''], ['arn', 'arn:aws:s3:::']] as const) {
    it(`answers a many-star ${mode} pattern against a long subject promptly`, () => {
      const started = performance.now();
      assert.equal(globMatcher(`${prefix}${'*a'.repeat(12)}*b`, mode)(`${prefix}${'a'.repeat(20_000)}`), false);
      assert.equal(globMatcher(`${prefix}${'*a'.repeat(12)}*b`, mode)(`${prefix}${'a'.repeat(20_000)}b`), true);
      assert.ok(performance.now() - started < 1_000, `${performance.now() - started} ms`);
    });
  }
});
