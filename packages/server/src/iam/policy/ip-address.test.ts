// Address and CIDR parsing at the edges: the text forms of RFC 4291 §2.2 and strict IPv4.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, parseCidr, parseIpAddress } from './ip-address.ts';

describe('parseIpAddress', () => {
  const valid: Array<[string, string]> = [
    ['192.0.2.1', 'v4'],
    ['0.0.0.0', 'v4'],
    ['255.255.255.255', 'v4'],
    ['::', 'v6'],
    ['::1', 'v6'],
    ['2001:db8::', 'v6'],
    ['2001:DB8:0:0:8:800:200C:417A', 'v6'],
    ['64:ff9b::192.0.2.33', 'v6'],
    ['::ffff:192.0.2.1', 'v4'],
    ['fe80::1%eth0', 'v6'],
  ];
  for (const [text, family] of valid) it(`reads ${text} as ${family}`, () => assert.equal(parseIpAddress(text)?.v6, family === 'v6'));
  const invalid = ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '1.2.3.4::', '', 'localhost'];
  for (const text of invalid) it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseIpAddress(text), undefined));
});

describe('cidrContains', () => {
  const cases: Array<[string, string, boolean]> = [
    ['192.0.2.0/24', '192.0.2.255', true],
    ['192.0.2.0/24', '192.0.3.0', false],
    ['192.0.2.128/25', '192.0.2.127', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/33', '2001:db8:8000::', false],
    ['2001:db8::/96', '2001:db8::ffff:ffff', true],
    ['2001:db8::/96', '2001:db8::1:0:0', false],
    ['::/0', '::1', true],
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
  ];
  for (const [block, address, inside] of cases) {
    it(`${address} ${inside ? 'is' : 'is not'} in ${block}`, () => assert.equal(cidrContains(parseCidr(block)!, parseIpAddress(address)!), inside));
  }
  it('refuses prefixes out of range and zone ids in blocks', () => {
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', 'fe80::%eth0/64']) assert.equal(parseCidr(text), undefined, text);
  });
});
