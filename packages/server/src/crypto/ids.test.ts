import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pooledRandomBytes } from './ids.ts';

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
