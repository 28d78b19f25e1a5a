// CloudTrail's eventID is a GUID. Keyless's are UUID version 7 (RFC 9562 §5.7): the first 48 bits
// are the event's millisecond, the rest random. Still unique and opaque to readers, but they sort
// by time, so the unique index on event_id grows at its end, like the journal itself, instead of
// touching a random page of a large index on every refresh.
import type { Random } from '../crypto/ids.ts';

export function newEventId(random: Random, now: number): string {
  const bytes = random.bytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
