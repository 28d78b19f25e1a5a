import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newAccessKeyId, pooledRandomBytes, systemRandom } from './ids.ts';

describe('pooledRandomBytes', () => {
  it('hands out each byte of a pool once, across refills', () => {
    // 20 KiB of 32-byte draws spans several 4 KiB pools; a reused or overlapping slice repeats.
    const draws = Array.from({ length: 640 }, () => pooledRandomBytes(32));
    assert.ok(draws.every((d) => d.length === 32));
    assert.equal(new Set(draws.map((d) => d.toString('hex'))).size, draws.length);
    const first = Buffer.from(draws[0]!);
    pooledRandomBytes(4000);
    assert.deepEqual(draws[0], first, 'a later draw never changes an earlier one');
  });

  it('draws larger requests directly, at their full length', () => {
    const big = pooledRandomBytes(10_000);
    assert.equal(big.length, 10_000);
    assert.notDeepEqual(big.subarray(0, 32), big.subarray(32, 64));
  });
});

describe('newAccessKeyId', () => {
  const now = 1_795_467_121_525;

  it('is ASIA and 16 base32 characters, as AWS temporary key ids are', () => {
    for (let i = 0; i < 100; i++) assert.match(newAccessKeyId(systemRandom, now + i * 7919), /^ASIA[A-Z2-7]{16}$/);
  });

  it('sorts in the order keys were issued: every millisecond of two seconds, and times years apart', () => {
    // Every digit of the time passes through all 32 characters here: '2'…'7' must sort before 'A'.
    const consecutive = Array.from({ length: 2048 }, (_, i) => newAccessKeyId(systemRandom, now + i));
    const yearsApart = Array.from({ length: 200 }, (_, i) => newAccessKeyId(systemRandom, Date.UTC(2005, 0, 1) + i * 53 * 86_400_000 + i * 7_919));
    for (const ids of [consecutive, yearsApart]) {
      const sorted = [...ids].sort();
      assert.deepEqual(sorted, ids);
    }
  });

  it('keys of one millisecond share their time and differ in their random half', () => {
    const ids = Array.from({ length: 1000 }, () => newAccessKeyId(systemRandom, now));
    assert.equal(new Set(ids.map((id) => id.slice(0, 12))).size, 1);
    assert.equal(new Set(ids).size, ids.length);
  });
});
