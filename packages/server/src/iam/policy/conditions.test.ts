// Every condition operator, positive and negative, with AWS's rules for missing keys, IfExists,
// set qualifiers, several keys and several values. Each case is one Allow statement evaluated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContextValue, RequestPrincipal } from './request-context.ts';
import { alice, conditionHolds, deployRole } from '../../testing/policies.ts';

type Case = [name: string, condition: object, context: Record<string, ContextValue>, expected: boolean, principal?: RequestPrincipal];

function table(title: string, cases: Case[]) {
  describe(title, () => {
    for (const [name, condition, context, expected, principal] of cases) {
      it(`${name} → ${expected}`, () => assert.equal(conditionHolds(condition, context, principal ?? alice), expected));
    }
  });
}

const region = (value: ContextValue) => ({ 'aws:RequestedRegion': value });

table('String operators', [
  ['StringEquals, equal', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, region('eu-west-1'), true],
  ['StringEquals, different', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, region('us-east-1'), false],
  ['StringEquals is case-sensitive', { StringEquals: { 'aws:RequestedRegion': 'EU-WEST-1' } }, region('eu-west-1'), false],
  ['StringEquals, several values OR', { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }, region('eu-west-1'), true],
  ['StringEquals, missing key', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, {}, false],
  ['StringNotEquals, different', { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, region('us-east-1'), true],
  ['StringNotEquals, equal', { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, region('eu-west-1'), false],
  ['StringNotEquals, several values NOR (one equal)', { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }, region('eu-west-1'), false],
  ['StringNotEquals, several values NOR (none equal)', { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }, region('ap-south-1'), true],
  ['StringNotEquals, missing key (negated: true)', { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, {}, true],
  ['StringEqualsIgnoreCase, other case', { StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-West-1' } }, region('eu-west-1'), true],
  ['StringEqualsIgnoreCase, different', { StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-West-2' } }, region('eu-west-1'), false],
  ['StringNotEqualsIgnoreCase, other case', { StringNotEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-WEST-1' } }, region('eu-west-1'), false],
  ['StringNotEqualsIgnoreCase, different', { StringNotEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-WEST-2' } }, region('eu-west-1'), true],
  ['StringLike *', { StringLike: { 'aws:RequestedRegion': 'eu-*' } }, region('eu-west-1'), true],
  ['StringLike ?', { StringLike: { 'aws:RequestedRegion': 'eu-west-?' } }, region('eu-west-1'), true],
  ['StringLike ? is one character', { StringLike: { 'aws:RequestedRegion': 'eu-west-?' } }, region('eu-west-10'), false],
  ['StringLike is case-sensitive', { StringLike: { 'aws:RequestedRegion': 'EU-*' } }, region('eu-west-1'), false],
  ['StringLike without wildcard is exact', { StringLike: { 'aws:RequestedRegion': 'eu' } }, region('eu-west-1'), false],
  ['StringLike * crosses / and :', { StringLike: { 'signin:OAuthRedirectUri': 'http://127.0.0.1:*/oauth/callback' } }, { 'signin:OAuthRedirectUri': 'http://127.0.0.1:53037/oauth/callback' }, true],
  ['StringNotLike, not like', { StringNotLike: { 'aws:RequestedRegion': 'us-*' } }, region('eu-west-1'), true],
  ['StringNotLike, like', { StringNotLike: { 'aws:RequestedRegion': 'eu-*' } }, region('eu-west-1'), false],
  ['StringNotLike, missing key (negated: true)', { StringNotLike: { 'aws:RequestedRegion': 'eu-*' } }, {}, true],
  ['a number in the context compares as text', { StringEquals: { 'test:count': '5' } }, { 'test:count': 5 }, true],
  ['a JSON number in the policy compares as text', { StringEquals: { 'test:count': 5 } }, { 'test:count': '5' }, true],
]);

table('condition keys are case-insensitive, values per operator', [
  ['policy spells the key in capitals', { StringEquals: { 'AWS:REQUESTEDREGION': 'eu-west-1' } }, region('eu-west-1'), true],
  ['context spells the key in lower case', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, { 'aws:requestedregion': 'eu-west-1' }, true],
  ['principal tag key in another case', { StringEquals: { 'aws:PrincipalTag/team': 'platform' } }, {}, true],
  ['principal tag value is case-sensitive', { StringEquals: { 'aws:PrincipalTag/Team': 'Platform' } }, {}, false],
]);

table('Numeric operators', [
  ['NumericEquals, equal', { NumericEquals: { 'test:n': '10' } }, { 'test:n': 10 }, true],
  ['NumericEquals compares numbers, not text', { NumericEquals: { 'test:n': '10' } }, { 'test:n': '10.0' }, true],
  ['NumericEquals, different', { NumericEquals: { 'test:n': 10 } }, { 'test:n': '11' }, false],
  ['NumericEquals, not a number in the request', { NumericEquals: { 'test:n': 10 } }, { 'test:n': 'ten' }, false],
  ['NumericNotEquals, different', { NumericNotEquals: { 'test:n': 10 } }, { 'test:n': 11 }, true],
  ['NumericNotEquals, equal', { NumericNotEquals: { 'test:n': 10 } }, { 'test:n': 10 }, false],
  ['NumericNotEquals, missing key', { NumericNotEquals: { 'test:n': 10 } }, {}, true],
  ['NumericLessThan, less', { NumericLessThan: { 'test:n': 10 } }, { 'test:n': 9.5 }, true],
  ['NumericLessThan, equal', { NumericLessThan: { 'test:n': 10 } }, { 'test:n': 10 }, false],
  ['NumericLessThanEquals, equal', { NumericLessThanEquals: { 'test:n': 10 } }, { 'test:n': 10 }, true],
  ['NumericLessThanEquals, greater', { NumericLessThanEquals: { 'test:n': 10 } }, { 'test:n': 11 }, false],
  ['NumericGreaterThan, greater', { NumericGreaterThan: { 'test:n': '-1' } }, { 'test:n': 0 }, true],
  ['NumericGreaterThan, equal', { NumericGreaterThan: { 'test:n': 0 } }, { 'test:n': 0 }, false],
  ['NumericGreaterThanEquals, equal', { NumericGreaterThanEquals: { 'test:n': 3600 } }, { 'test:n': '3600' }, true],
  ['NumericGreaterThanEquals, less', { NumericGreaterThanEquals: { 'test:n': 3600 } }, { 'test:n': 3599 }, false],
  ['NumericLessThan, missing key', { NumericLessThan: { 'test:n': 10 } }, {}, false],
]);

const now = (iso: string) => ({ 'aws:CurrentTime': iso });
table('Date operators (ISO 8601 and epoch seconds)', [
  ['DateLessThan, before', { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2025-12-31T23:59:59Z'), true],
  ['DateLessThan, at', { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:00Z'), false],
  ['DateLessThanEquals, at', { DateLessThanEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:00Z'), true],
  ['DateLessThanEquals, after', { DateLessThanEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:00.001Z'), false],
  ['DateGreaterThan, after', { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } }, now('2026-01-01T00:00:01Z'), true],
  ['DateGreaterThan, before', { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } }, now('2025-12-31T12:00:00Z'), false],
  ['DateGreaterThanEquals, at midnight of a date-only value', { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-01-01' } }, now('2026-01-01T00:00:00Z'), true],
  ['DateGreaterThanEquals, before', { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-01-01' } }, now('2025-12-31T23:59:59Z'), false],
  ['DateEquals across time zones', { DateEquals: { 'aws:CurrentTime': '2026-01-01T01:00:00+01:00' } }, now('2026-01-01T00:00:00Z'), true],
  ['DateEquals, different', { DateEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:01Z'), false],
  ['DateNotEquals, different', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:01Z'), true],
  ['DateNotEquals, equal', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, now('2026-01-01T00:00:00Z'), false],
  ['epoch in the policy, ISO in the request', { DateLessThan: { 'aws:CurrentTime': '1767225600' } }, now('2025-12-31T23:59:59Z'), true],
  ['ISO in the policy, epoch number in the request', { DateLessThan: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } }, { 'aws:EpochTime': 1767225599 }, true],
  ['epoch in both', { DateGreaterThanEquals: { 'aws:EpochTime': 1767225600 } }, { 'aws:EpochTime': '1767225599' }, false],
  ['an unparseable request date matches nothing', { DateLessThan: { 'aws:CurrentTime': '2026-01-01' } }, now('yesterday'), false],
  ['DateLessThan, missing key', { DateLessThan: { 'aws:CurrentTime': '2026-01-01' } }, {}, false],
]);

const mfa = (value: ContextValue) => ({ 'aws:MultiFactorAuthPresent': value });
table('Bool and BinaryEquals', [
  ['Bool true, true', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, mfa(true), true],
  ['Bool true, "true"', { Bool: { 'aws:MultiFactorAuthPresent': true } }, mfa('true'), true],
  ['Bool true, false', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, mfa(false), false],
  ['Bool false, false', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, mfa('false'), true],
  ['Bool, not a boolean in the request', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, mfa('yes'), false],
  ['Bool, missing key', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, false],
  ['BoolIfExists, missing key', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, true],
  ['BoolIfExists, present and different', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, mfa(true), false],
  ['BinaryEquals, same bytes', { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWU=' } }, { 'test:blob': 'QmluYXJ5VmFsdWU=' }, true],
  ['BinaryEquals, other bytes', { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWU=' } }, { 'test:blob': 'T3RoZXI=' }, false],
  ['BinaryEquals, not base64 in the request', { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWU=' } }, { 'test:blob': 'not base64!' }, false],
]);

const ip = (address: string) => ({ 'aws:SourceIp': address });
table('IpAddress and NotIpAddress (IPv4 and IPv6)', [
  ['IPv4 inside the block', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('203.0.113.77'), true],
  ['IPv4 outside the block', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('203.0.114.1'), false],
  ['IPv4 single address', { IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, ip('198.51.100.7'), true],
  ['IPv4 single address, neighbour', { IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, ip('198.51.100.8'), false],
  ['IPv4 /0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, ip('192.0.2.1'), true],
  ['IPv4 /31 edge', { IpAddress: { 'aws:SourceIp': '10.0.0.0/31' } }, ip('10.0.0.1'), true],
  ['IPv4 block with host bits set', { IpAddress: { 'aws:SourceIp': '10.1.2.3/8' } }, ip('10.200.0.1'), true],
  ['several blocks OR', { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, ip('203.0.113.1'), true],
  ['IPv6 inside the block', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ip('2001:db8:1234::1'), true],
  ['IPv6 outside the block', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ip('2001:db9::1'), false],
  ['IPv6 /64 in a middle word', { IpAddress: { 'aws:SourceIp': '2001:db8:0:42::/64' } }, ip('2001:db8::42:ffff:ffff:ffff:ffff'), true],
  ['IPv6 /127 edge', { IpAddress: { 'aws:SourceIp': '2001:db8::/127' } }, ip('2001:db8::2'), false],
  ['IPv6 loopback', { IpAddress: { 'aws:SourceIp': '::1' } }, ip('0:0:0:0:0:0:0:1'), true],
  ['IPv4-mapped IPv6 request against an IPv4 block', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, ip('::ffff:127.0.0.1'), true],
  ['IPv4 request against an IPv6 block', { IpAddress: { 'aws:SourceIp': '::/0' } }, ip('192.0.2.1'), false],
  ['IPv6 request against an IPv4 block', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, ip('2001:db8::1'), false],
  ['not an address in the request', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, ip('localhost'), false],
  ['IpAddress, missing key', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, {}, false],
  ['NotIpAddress, outside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('198.51.100.1'), true],
  ['NotIpAddress, inside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('203.0.113.1'), false],
  ['NotIpAddress, several blocks NOR', { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, ip('192.0.2.9'), false],
  ['NotIpAddress, IPv6 outside', { NotIpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ip('fe80::1'), true],
  ['NotIpAddress, missing key', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, {}, true],
]);

const roleArn = `arn:aws:iam::111122223333:role/Deploy`;
table('Arn operators (component-wise)', [
  ['ArnLike with wildcards', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/al*' } }, {}, true],
  ['ArnLike, other name', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/bo*' } }, {}, false],
  ['ArnLike is case-sensitive', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/Alice' } }, {}, false],
  ['ArnEquals also takes wildcards', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/*' } }, {}, true],
  ['ArnEquals, exact', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/alice' } }, {}, true],
  ['ArnNotEquals, other', { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/bob' } }, {}, true],
  ['ArnNotLike, like', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, {}, false],
  ['ArnNotLike, missing key', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:iam::*:user/*' } }, {}, true],
  ['a wildcard in the account does not span a colon', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:*:*:bucket' } }, { 'aws:SourceArn': 'arn:aws:s3:us-east-1:a:b:bucket' }, false],
  ['a wildcard in the resource component spans colons', { ArnLike: { 'aws:SourceArn': 'arn:aws:logs:*:*:log-group:*' } }, { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:111122223333:log-group:app:log-stream:x' }, true],
  ['a role session is seen as its role ARN', { ArnEquals: { 'aws:PrincipalArn': roleArn } }, {}, true, deployRole],
  ['not an ARN in the request', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, { 'aws:SourceArn': 'bucket' }, false],
]);

table('Null and …IfExists', [
  ['Null true, key absent (a role has no aws:username)', { Null: { 'aws:username': 'true' } }, {}, true, deployRole],
  ['Null true, key present', { Null: { 'aws:username': 'true' } }, {}, false],
  ['Null false, key present', { Null: { 'aws:username': 'false' } }, {}, true],
  ['Null false, key absent', { Null: { 'aws:SourceIp': false } }, {}, false],
  ['Null false, empty list is absent', { Null: { 'aws:TagKeys': 'false' } }, { 'aws:TagKeys': [] }, false],
  ['StringEqualsIfExists, missing key', { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }, {}, true],
  ['StringEqualsIfExists, present and equal', { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }, region('eu-west-1'), true],
  ['StringEqualsIfExists, present and different', { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }, region('us-east-1'), false],
  ['StringNotEqualsIfExists, missing key', { StringNotEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }, {}, true],
  ['NumericLessThanIfExists, missing key', { NumericLessThanIfExists: { 'test:n': 1 } }, {}, true],
  ['NumericLessThanIfExists, present', { NumericLessThanIfExists: { 'test:n': 1 } }, { 'test:n': 2 }, false],
  ['DateGreaterThanIfExists, missing key', { DateGreaterThanIfExists: { 'aws:CurrentTime': '2026-01-01' } }, {}, true],
  ['IpAddressIfExists, missing key', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
  ['IpAddressIfExists, present outside', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, ip('192.0.2.1'), false],
  ['ArnLikeIfExists, missing key', { ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, {}, true],
  ['BinaryEqualsIfExists, missing key', { BinaryEqualsIfExists: { 'test:blob': 'QQ==' } }, {}, true],
]);

const tags = (value: ContextValue) => ({ 'aws:TagKeys': value });
table('ForAnyValue and ForAllValues on multi-valued keys', [
  ['ForAnyValue, one in common', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['b', 'c'] } }, tags(['a', 'b']), true],
  ['ForAnyValue, none in common', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['b', 'c'] } }, tags(['a', 'z']), false],
  ['ForAnyValue, missing key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, {}, false],
  ['ForAnyValue, empty list', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, tags([]), false],
  ['ForAnyValue, single value', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, tags('a'), true],
  ['ForAnyValue …IfExists, missing key', { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'a' } }, {}, true],
  ['ForAnyValue:StringLike', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'cost*' } }, tags(['owner', 'costcenter']), true],
  ['ForAnyValue:StringNotEquals, one value outside', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'a' } }, tags(['a', 'b']), true],
  ['ForAnyValue:StringNotEquals, every value listed', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } }, tags(['a', 'b']), false],
  ['ForAllValues, subset', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b', 'c'] } }, tags(['a', 'b']), true],
  ['ForAllValues, one outside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, tags(['a', 'z']), false],
  ['ForAllValues, missing key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } }, {}, true],
  ['ForAllValues, empty list', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } }, tags([]), true],
  ['ForAllValues, empty string is an empty set', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } }, tags(''), true],
  ['ForAllValues, case-insensitive variant', { 'ForAllValues:StringEqualsIgnoreCase': { 'aws:TagKeys': ['A', 'B'] } }, tags(['a', 'b']), true],
  // AWS's table for "ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}
  ['ForAllValues:StringNotLike, key1:legal', { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, tags(['key1:legal']), false],
  ['ForAllValues:StringNotLike, key1:hr and key1:personnel', { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, tags(['key1:hr', 'key1:personnel']), false],
  ['ForAllValues:StringNotLike, key2:audit', { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, tags(['key2:audit']), true],
  ['ForAllValues:StringNotLike, no aws:TagKeys', { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, {}, true],
  ['ForAllValues:NumericLessThan', { 'ForAllValues:NumericLessThan': { 'test:sizes': 10 } }, { 'test:sizes': ['1', '9'] }, true],
  ['ForAllValues:NumericLessThan, one too big', { 'ForAllValues:NumericLessThan': { 'test:sizes': 10 } }, { 'test:sizes': ['1', '10'] }, false],
  ['ForAnyValue:IpAddress', { 'ForAnyValue:IpAddress': { 'test:hops': '10.0.0.0/8' } }, { 'test:hops': ['192.0.2.1', '10.1.1.1'] }, true],
  ['no qualifier on a multi-valued key: any value', { StringEquals: { 'aws:TagKeys': 'b' } }, tags(['a', 'b']), true],
  ['no qualifier, negated, on a multi-valued key: no value', { StringNotEquals: { 'aws:TagKeys': 'b' } }, tags(['a', 'b']), false],
]);

table('several keys AND, several operators AND', [
  ['both keys match', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalType': 'User' } }, region('eu-west-1'), true],
  ['one key differs', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalType': 'AssumedRole' } }, region('eu-west-1'), false],
  ['both operators hold', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { ...region('eu-west-1'), ...ip('10.0.0.1') }, true],
  ['one operator fails', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { ...region('eu-west-1'), ...ip('11.0.0.1') }, false],
]);

table('policy variables in condition values', [
  ['${aws:PrincipalTag/Team} in StringEquals', { StringEquals: { 'aws:PrincipalTag/Team': '${aws:PrincipalTag/Team}' } }, {}, true],
  ['${aws:username} inside StringLike', { StringLike: { 'test:prefix': 'home/${aws:username}/*' } }, { 'test:prefix': 'home/alice/docs' }, true],
  ['${aws:username} for someone else', { StringLike: { 'test:prefix': 'home/${aws:username}/*' } }, { 'test:prefix': 'home/bob/docs' }, false],
  ['a variable without a value matches nothing', { StringLike: { 'test:prefix': 'home/${aws:username}/*' } }, { 'test:prefix': 'home//docs' }, false, deployRole],
  ['a default stands in for a missing value', { StringEquals: { 'test:prefix': "home/${aws:username, 'shared'}" } }, { 'test:prefix': 'home/shared' }, true, deployRole],
  ['${*} is a literal star in StringLike', { StringLike: { 'test:name': 'a${*}' } }, { 'test:name': 'a*' }, true],
  ['${*} is not a wildcard', { StringLike: { 'test:name': 'a${*}' } }, { 'test:name': 'ab' }, false],
  ['${?} and ${$} are literal', { StringEquals: { 'test:name': '${?}${$}' } }, { 'test:name': '?$' }, true],
  ['a substituted value is literal, never a wildcard', { StringLike: { 'test:name': '${aws:PrincipalTag/Team}' } }, { 'test:name': 'anything' }, false, { ...alice, tags: { Team: '*' } }],
  ['ArnLike with ${aws:userid}', { ArnLike: { 'aws:SourceArn': 'arn:aws:sts::*:assumed-role/Deploy/${aws:userid}' } }, { 'aws:SourceArn': 'arn:aws:sts::111122223333:assumed-role/Deploy/AIDAEXAMPLEALICE' }, true],
]);

describe('Version 2008-10-17', () => {
  it('has no policy variables: a $ is plain text', () => {
    assert.equal(conditionHolds({ StringEquals: { 'test:name': '$5' } }, { 'test:name': '$5' }, alice, '2008-10-17'), true);
  });
  it('keeps wildcards in StringLike', () => {
    assert.equal(conditionHolds({ StringLike: { 'test:name': 'a*' } }, { 'test:name': 'abc' }, alice, '2008-10-17'), true);
  });
});
