// IAM's input constraints as data: each row a parameter value and whether IAM accepts it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IamError } from './errors.ts';
import { checkMaxItems, checkName, checkPath, checkPathPrefix, checkPolicyArn, checkRoleSessionSeconds, checkTags } from './validate.ts';

const accepts = (f: () => unknown) => assert.doesNotThrow(f);
const refuses = (f: () => unknown, code: string, message?: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof IamError && e.code === code && (!message || message.test(e.message)));

describe('IAM input constraints', () => {
  it('names: [\\w+=,.@-], 1 to the limit', () => {
    for (const ok of ['alice', 'a', 'A_b+c=d,e.f@g-h', 'x'.repeat(64)]) accepts(() => checkName('userName', ok, 64));
    refuses(() => checkName('userName', 'x'.repeat(65), 64), 'ValidationError', /length less than or equal to 64/);
    refuses(() => checkName('userName', 'has space', 64), 'ValidationError', /regular expression pattern/);
    refuses(() => checkName('userName', 'slash/name', 64), 'ValidationError');
    refuses(() => checkName('userName', undefined, 64), 'ValidationError', /Value null at 'userName' failed to satisfy constraint: Member must not be null/);
    refuses(() => checkName('userName', '', 64), 'ValidationError', /length greater than or equal to 1/);
  });

  it('paths: / or /…/ of printable ASCII; prefixes start with /', () => {
    assert.equal(checkPath('path', undefined), '/');
    for (const ok of ['/', '/a/', '/division_abc/subdivision_xyz/', '/%_*/']) accepts(() => checkPath('path', ok));
    for (const bad of ['a/', '/a', '//'.slice(1) + 'a', '/a b/', '/é/']) refuses(() => checkPath('path', bad), 'ValidationError');
    assert.equal(checkPathPrefix('pathPrefix', '/'), undefined);
    assert.equal(checkPathPrefix('pathPrefix', '/eng'), '/eng');
    refuses(() => checkPathPrefix('pathPrefix', 'eng/'), 'ValidationError');
  });

  it('tags: at most 50, keys case-insensitively unique, no aws: prefix, AWS character set', () => {
    accepts(() => checkTags({ team: 'platform', 'cost-center': '12.34', empty: '' }));
    refuses(() => checkTags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))), 'ValidationError');
    refuses(() => checkTags({ Team: 'a', team: 'b' }), 'InvalidInput', /case insensitive/);
    refuses(() => checkTags({ 'aws:createdBy': 'x' }), 'InvalidInput', /reserved prefix/);
    refuses(() => checkTags({ 'bad#key': 'x' }), 'ValidationError');
  });

  it('role session duration 1 h to 12 h; MaxItems 1 to 1000; policy ARNs', () => {
    assert.equal(checkRoleSessionSeconds(undefined), 3600);
    accepts(() => checkRoleSessionSeconds(43_200));
    refuses(() => checkRoleSessionSeconds(3599), 'ValidationError');
    refuses(() => checkRoleSessionSeconds(43_201), 'ValidationError');
    assert.equal(checkMaxItems(undefined), 100);
    refuses(() => checkMaxItems(0), 'ValidationError');
    refuses(() => checkMaxItems(1001), 'ValidationError');
    for (const ok of ['arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess', 'arn:aws:iam::123456789012:policy/team/Read']) accepts(() => checkPolicyArn(ok));
    refuses(() => checkPolicyArn('arn:aws:iam::123456789012:user/alice'), 'InvalidInput', /is not valid/);
    refuses(() => checkPolicyArn('not-an-arn'), 'ValidationError');
  });
});
