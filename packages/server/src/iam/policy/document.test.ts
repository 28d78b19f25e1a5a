// Validation on write: good documents normalise, bad ones fail with the path of the element at fault.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicyDocument, POLICY_SIZE_QUOTAS, type PolicyKind } from './document.ts';
import { PolicyValidationError } from './validation-error.ts';

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const allow = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });
const trust = (extra: object = {}) => ({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra });
const without = (key: string, statement: Record<string, unknown>) => Object.fromEntries(Object.entries(statement).filter(([k]) => k !== key));

type Bad = [name: string, document: object | string, path: string, kind?: PolicyKind, message?: RegExp | string];

const bad: Bad[] = [
  ['not JSON', '{"Version": ', '', undefined, /^Policy document is not valid JSON/],
  ['a JSON array', '[]', '', undefined, 'Policy document must be a JSON object, not an array'],
  ['an unknown top-level element', { ...doc(allow()), Statements: [] }, 'Statements'],
  ['a top-level element in the wrong case', { version: '2012-10-17', Statement: [allow()] }, 'version', undefined, /did you mean Version\?/],
  ['an unknown Version', { Version: '2012-10-18', Statement: [allow()] }, 'Version'],
  ['a null Version', { Version: null, Statement: [allow()] }, 'Version'],
  ['a null Statement', { Version: '2012-10-17', Statement: null }, 'Statement'],
  ['a null Action', doc(allow({ Action: null })), 'Statement[0].Action'],
  ['a numeric Id', { ...doc(allow()), Id: 5 }, 'Id'],
  ['no Statement', { Version: '2012-10-17' }, 'Statement'],
  ['an empty Statement array', doc(), 'Statement'],
  ['a statement that is a string', doc('Allow' as unknown as object), 'Statement[0]'],
  ['Effect in lower case', doc(allow({ Effect: 'allow' })), 'Statement[0].Effect', undefined, 'Statement[0].Effect must be Allow or Deny, not "allow"'],
  ['Effect in a single-statement object', { Version: '2012-10-17', Statement: allow({ Effect: 'Permit' }) }, 'Statement.Effect'],
  ['Effect in the second statement', doc(allow(), allow({ Effect: 'allow' })), 'Statement[1].Effect', undefined, 'Statement[1].Effect must be Allow or Deny, not "allow"'],
  ['no Effect', doc(without('Effect', allow())), 'Statement[0].Effect', undefined, /is missing/],
  ['an unknown statement element', doc(allow({ Actions: 's3:*' })), 'Statement[0].Actions'],
  ['a Sid with punctuation', doc(allow({ Sid: 'my-sid' })), 'Statement[0].Sid'],
  ['a repeated Sid', doc(allow({ Sid: 'Read' }), allow({ Sid: 'Read' })), 'Statement[1].Sid', undefined, /unique/],
  ['Action and NotAction together', doc(allow({ NotAction: 'iam:*' })), 'Statement[0].NotAction'],
  ['neither Action nor NotAction', doc(without('Action', allow())), 'Statement[0].Action', undefined, /needs Action or NotAction/],
  ['an action without a service', doc(allow({ Action: 'GetObject' })), 'Statement[0].Action'],
  ['a bad action in a list', doc(allow({ Action: ['s3:GetObject', 's3 GetObject'] })), 'Statement[0].Action[1]'],
  ['an empty action list', doc(allow({ Action: [] })), 'Statement[0].Action'],
  ['a number as the action', doc(allow({ Action: 5 })), 'Statement[0].Action'],
  ['a number in an action list', doc(allow({ NotAction: ['iam:*', 5], Action: undefined })), 'Statement[0].NotAction[1]'],
  ['no Resource', doc(without('Resource', allow())), 'Statement[0].Resource', undefined, /needs Resource or NotResource/],
  ['Resource and NotResource together', doc(allow({ NotResource: '*' })), 'Statement[0].NotResource'],
  ['a resource that is not an ARN', doc(allow({ Resource: 'reports-bucket' })), 'Statement[0].Resource'],
  ['a short ARN in a NotResource list', doc(allow({ Resource: undefined, NotResource: ['*', 'arn:aws:s3'] })), 'Statement[0].NotResource[1]'],
  ['a Principal in an identity policy', doc(allow({ Principal: '*' })), 'Statement[0].Principal'],
  ['a NotPrincipal in an SCP', doc(allow({ NotPrincipal: { AWS: '111122223333' } })), 'Statement[0].NotPrincipal', 'scp'],
  ['a Condition that is a string', doc(allow({ Condition: 'none' })), 'Statement[0].Condition'],
  ['an empty Condition', doc(allow({ Condition: {} })), 'Statement[0].Condition'],
  ['an unknown operator in the third statement', doc(allow(), allow(), allow({ Condition: { StringLikeX: { 'aws:username': 'a' } } })), 'Statement[2].Condition.StringLikeX'],
  ['an operator in the wrong case', doc(allow({ Condition: { stringequals: { 'aws:username': 'a' } } })), 'Statement[0].Condition.stringequals', undefined, /did you mean StringEquals\?/],
  ['an unknown set qualifier', doc(allow({ Condition: { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } } })), 'Statement[0].Condition.ForSomeValues:StringEquals'],
  ['NullIfExists', doc(allow({ Condition: { NullIfExists: { 'aws:username': 'true' } } })), 'Statement[0].Condition.NullIfExists'],
  ['ForAnyValue:Null', doc(allow({ Condition: { 'ForAnyValue:Null': { 'aws:TagKeys': 'true' } } })), 'Statement[0].Condition.ForAnyValue:Null'],
  ['an empty operator block', doc(allow({ Condition: { StringEquals: {} } })), 'Statement[0].Condition.StringEquals'],
  ['a condition key without a service', doc(allow({ Condition: { StringEquals: { SourceIp: 'a' } } })), 'Statement[0].Condition.StringEquals.SourceIp'],
  ['a key repeated in another case', doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8', 'aws:sourceip': '10.0.0.0/8' } } })), 'Statement[0].Condition.IpAddress.aws:sourceip'],
  ['a null condition value', doc(allow({ Condition: { StringEquals: { 'aws:username': null } } })), 'Statement[0].Condition.StringEquals.aws:username'],
  ['an object in a value list', doc(allow({ Condition: { StringEquals: { 'aws:username': ['a', {}] } } })), 'Statement[0].Condition.StringEquals.aws:username[1]'],
  ['an empty value list', doc(allow({ Condition: { StringEquals: { 'aws:username': [] } } })), 'Statement[0].Condition.StringEquals.aws:username'],
  ['a word for a number', doc(allow({ Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 'ten' } } })), 'Statement[0].Condition.NumericLessThan.aws:MultiFactorAuthAge', undefined, /must be a number for NumericLessThan, not "ten"/],
  ['a bad date second in a list', doc(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': ['2026-01-01', '2026-02-30'] } } })), 'Statement[0].Condition.DateLessThan.aws:CurrentTime[1]'],
  ['yes for a Bool', doc(allow({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } })), 'Statement[0].Condition.Bool.aws:SecureTransport'],
  ['maybe for a Null', doc(allow({ Condition: { Null: { 'aws:username': 'maybe' } } })), 'Statement[0].Condition.Null.aws:username'],
  ['not base64 for BinaryEquals', doc(allow({ Condition: { BinaryEquals: { 'test:blob': 'not base64!' } } })), 'Statement[0].Condition.BinaryEquals.test:blob'],
  ['an IPv4 octet over 255', doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.256/8' } } })), 'Statement[0].Condition.IpAddress.aws:SourceIp'],
  ['an IPv4 prefix over 32', doc(allow({ Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } } })), 'Statement[0].Condition.NotIpAddress.aws:SourceIp[1]'],
  ['an IPv6 prefix over 128', doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/129' } } })), 'Statement[0].Condition.IpAddress.aws:SourceIp'],
  ['two :: in an IPv6 address', doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': '2001::db8::1' } } })), 'Statement[0].Condition.IpAddress.aws:SourceIp'],
  ['not an ARN for ArnLike', doc(allow({ Condition: { ArnLike: { 'aws:PrincipalArn': 'role/admin' } } })), 'Statement[0].Condition.ArnLike.aws:PrincipalArn'],
  ['a policy variable under 2008-10-17', { Version: '2008-10-17', Statement: [allow({ Resource: 'arn:aws:s3:::home/${aws:username}/*' })] }, 'Statement[0].Resource', undefined, /needs "Version": "2012-10-17"/],
  ['a policy variable without Version', { Statement: [allow({ Condition: { StringLike: { 's3:prefix': ['home/', 'home/${aws:username}/*'] } } })] }, 'Statement[0].Condition.StringLike.s3:prefix[1]'],
  ['an unclosed policy variable', doc(allow({ Resource: 'arn:aws:s3:::home/${aws:username/*' })), 'Statement[0].Resource', undefined, /without a closing/],
  ['a policy variable with a space', doc(allow({ Resource: 'arn:aws:s3:::home/${aws: username}' })), 'Statement[0].Resource', undefined, /not a policy variable/],
  ['an empty policy variable', doc(allow({ Condition: { StringEquals: { 'aws:username': '${}' } } })), 'Statement[0].Condition.StringEquals.aws:username'],
  ['Effect twice in one statement', '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}', 'Statement[0].Effect', undefined, /appears twice/],
  ['StringEquals twice in one Condition', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:PrincipalType":"User"}}}]}', 'Statement[0].Condition.StringEquals'],
  ['Statement twice', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Statement":[]}', 'Statement'],
  ['a trust policy without Principal', doc(without('Principal', trust())), 'Statement[0].Principal', 'trust', /needs Principal or NotPrincipal/],
  ['a Resource in a trust policy', doc(trust({ Resource: '*' })), 'Statement[0].Resource', 'trust'],
  ['a non-STS action in a trust policy', doc(trust({ Action: ['sts:AssumeRole', 's3:GetObject'] })), 'Statement[0].Action[1]', 'trust'],
  ['sts:GetCallerIdentity in a trust policy', doc(trust({ Action: 'sts:GetCallerIdentity' })), 'Statement[0].Action', 'trust'],
  ['"*" as a trust policy action', doc(trust({ Action: '*' })), 'Statement[0].Action', 'trust'],
  ['a CanonicalUser principal', doc(trust({ Principal: { CanonicalUser: 'abc' } })), 'Statement[0].Principal.CanonicalUser', 'trust'],
  ['a wildcard inside an AWS principal', doc(trust({ Principal: { AWS: ['111122223333', 'arn:aws:iam::*:root'] } })), 'Statement[0].Principal.AWS[1]', 'trust'],
  ['a bad service principal', doc(trust({ Principal: { Service: 'ec2' } })), 'Statement[0].Principal.Service', 'trust'],
  ['an empty principal object', doc(trust({ Principal: {} })), 'Statement[0].Principal', 'trust'],
];

describe('parsePolicyDocument refuses bad documents at the offending element', () => {
  for (const [name, document, path, kind, message] of bad) {
    it(`${name} → ${path || '(document)'}`, () => {
      const text = typeof document === 'string' ? document : JSON.stringify(document);
      assert.throws(
        () => parsePolicyDocument(text, { kind: kind ?? 'identity' }),
        (error: unknown) => {
          assert.ok(error instanceof PolicyValidationError, String(error));
          assert.equal(error.code, 'MalformedPolicyDocument');
          assert.equal(error.path, path, error.message);
          assert.ok(error.message.startsWith(path), error.message);
          if (typeof message === 'string') assert.equal(error.message, message);
          else if (message) assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('parsePolicyDocument accepts and normalises good documents', () => {
  it('turns single values into arrays and condition values into strings', () => {
    const document = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'example',
        Statement: {
          Sid: 'One',
          Effect: 'Deny',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, Bool: { 'aws:MultiFactorAuthPresent': true } },
        },
      }),
    );
    assert.equal(document.kind, 'identity');
    assert.equal(document.Version, '2012-10-17');
    assert.equal(document.Id, 'example');
    assert.deepEqual(document.Statement, [
      { Sid: 'One', Effect: 'Deny', NotAction: ['iam:*'], Resource: ['*'], Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] }, Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } },
    ]);
  });

  it('defaults a missing Version to 2008-10-17, as AWS does', () => {
    assert.equal(parsePolicyDocument(JSON.stringify({ Statement: [allow()] })).Version, '2008-10-17');
  });

  it('accepts every operator family with IfExists and set qualifiers', () => {
    const Condition = {
      'ForAnyValue:StringEqualsIgnoreCaseIfExists': { 'aws:TagKeys': ['a'] },
      'ForAllValues:StringNotLike': { 'aws:TagKeys': ['b*'] },
      NumericGreaterThanEqualsIfExists: { 's3:max-keys': '10' },
      DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00.123+02:00' },
      BoolIfExists: { 'aws:SecureTransport': 'TRUE' },
      BinaryEquals: { 'test:blob': 'QQ==' },
      NotIpAddressIfExists: { 'aws:SourceIp': ['::ffff:10.0.0.0/104', '2001:db8::', '198.51.100.1'] },
      ArnNotLikeIfExists: { 'aws:SourceArn': ['*', 'arn:aws:sqs:*:${aws:PrincipalAccount}:queue'] },
      Null: { 'aws:TokenIssueTime': 'false' },
    };
    assert.equal(Object.keys(parsePolicyDocument(JSON.stringify(doc(allow({ Condition })))).Statement[0]!.Condition!).length, 9);
  });

  it('allows Condition, NotAction and NotResource in SCPs', () => {
    const document = parsePolicyDocument(JSON.stringify(doc({ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::logs/*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })), { kind: 'scp' });
    assert.equal(document.kind, 'scp');
  });

  it('accepts trust principals of each type and the role-assumption actions', () => {
    const document = parsePolicyDocument(
      JSON.stringify(
        doc(
          trust({ Principal: { AWS: ['arn:aws:iam::111122223333:root', '444455556666', 'arn:aws:iam::111122223333:role/path/Admin'] }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
          trust({ Principal: { Federated: 'accounts.google.com' }, Action: 'sts:AssumeRoleWith*' }),
          trust({ Principal: '*', Effect: 'Deny', Action: 'sts:*' }),
        ),
      ),
      { kind: 'trust' },
    );
    assert.equal(document.Statement.length, 3);
  });
});

describe('size quotas', () => {
  const padded = (length: number) => {
    const base = JSON.stringify(doc(allow({ Sid: 'S' })));
    return JSON.stringify(doc(allow({ Sid: 'S'.repeat(length - base.length + 1) })));
  };
  it('measures without insignificant whitespace', () => {
    const text = padded(POLICY_SIZE_QUOTAS.managedPolicy);
    assert.equal(text.length, POLICY_SIZE_QUOTAS.managedPolicy);
    const spaced = JSON.stringify(JSON.parse(text), null, 8);
    assert.ok(spaced.length > POLICY_SIZE_QUOTAS.managedPolicy);
    assert.equal(parsePolicyDocument(spaced).size, POLICY_SIZE_QUOTAS.managedPolicy);
  });
  it('refuses a managed policy one character over with LimitExceeded', () => {
    assert.throws(() => parsePolicyDocument(padded(POLICY_SIZE_QUOTAS.managedPolicy + 1)), (error: unknown) => {
      assert.ok(error instanceof PolicyValidationError);
      assert.equal(error.code, 'LimitExceeded');
      assert.equal(error.path, '');
      assert.match(error.message, /6145 characters .* 6144-character quota/);
      return true;
    });
  });
  it('takes the quota by kind, or the caller’s (inline policies share one per user)', () => {
    const text = padded(POLICY_SIZE_QUOTAS.serviceControlPolicy + 1);
    assert.doesNotThrow(() => parsePolicyDocument(text));
    assert.throws(() => parsePolicyDocument(text, { kind: 'scp' }), /5120-character quota/);
    assert.throws(() => parsePolicyDocument(padded(POLICY_SIZE_QUOTAS.inlineUserPolicies + 1), { maxSize: POLICY_SIZE_QUOTAS.inlineUserPolicies }), /2048-character quota/);
  });
  it('refuses text over the API limit before parsing it', () => {
    assert.throws(() => parsePolicyDocument(' '.repeat(200_000)), (error: unknown) => error instanceof PolicyValidationError && error.code === 'LimitExceeded');
  });
});
