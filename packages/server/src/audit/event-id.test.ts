// Event ids: RFC 9562 version 7 UUIDs, in time order, unique.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemRandom } from '../crypto/ids.ts';
import { newEventId } from './event-id.ts';

describe('event ids', () => {
  it('are version 7 UUIDs whose first 48 bits are the millisecond', () => {
    const at = Date.parse('2026-11-23T23:00:00.123Z');
    const id = newEventId(systemRandom, at);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  });

  it('sort by time and do not repeat within a millisecond', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newEventId(systemRandom, 1_795_000_000_000 + Math.floor(i / 100)));
    assert.equal(new Set(ids).size, ids.length);
    for (let i = 100; i < ids.length; i += 100) assert.ok(ids[i - 100]! < ids[i]!);
  });
});
