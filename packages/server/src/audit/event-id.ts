// CloudTrail's eventID is a GUID. Keyless's are UUID version 7 (RFC 9562 §5.7): the first 48 bits
// are the event's millisecond, the rest random. Still unique and opaque to readers, but they sort
// by time, so the unique index on event_id grows at its end, like the journal itself, instead of
// touching a random page of a large index on every refresh.
import type { Random } from '../crypto/ids.ts';

/**
 * Built from a random v4 UUID (Node draws those from a pool: a fraction of the cost of fresh
 * random bytes on every refresh), keeping 74 of its random bits.
 */
export function newEventId(random: Random, now: number): string {
  const v4 = random.uuid();
  const ms = (Math.max(0, Math.floor(now)) % 2 ** 48).toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${v4.slice(15, 18)}-${v4.slice(19)}`;
}
