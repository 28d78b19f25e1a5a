// A login session's CreateOAuth2Token records, stored as one template and a few values each.
//
// Every successful refresh of a session records the same ~1 kB of CloudTrail JSON but for six
// values: the key it issued, the time, the caller's address and user agent, the request and
// event ids (and tlsDetails, when the call came over TLS). Four of those are columns of the
// journal row anyway. So the record is written once per session, as text with holes where those
// values go, and each refresh's row keeps only what the columns do not hold (address, user agent,
// TLS). Building and storing the whole record on every refresh was most of what recording cost a
// refresh (bench/audit-README.md, stop 11). Readers get the record back byte for byte: the holes
// are found in the text the audit trail writes with `TEMPLATE_STAND_INS` in place of the values
// (audit/cloudtrail-record.ts, `recordTemplate`), so there is one writer of the record's shape.
//
// Pure string code, kept with the store: the journal's reader fills templates, and the store
// imports nothing from the domain above it.
import type { RequestContext } from '../request-context.ts';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from './schema.ts';

/** The record's text between its holes: one more part than there are holes. */
export type RecordTemplate = readonly string[];

/** The journal row a templated record is filled from: its own columns and its `template_fills`. */
export type TemplatedRow = Pick<Selectable<AuditEventsTable>, 'access_key_id' | 'event_time' | 'request_id' | 'event_id' | 'template_fills'>;

// toISOString always ends in `.sssZ`: dropping the milliseconds is a slice, not a regex.
/** CloudTrail's time format (eventTime, creationDate): whole seconds, UTC. */
export const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, -5)}Z`;

// Stand-ins for the values, in the order the record writes them. Each is found as its member
// (`"eventID":"\u0000…"`) so that no other text can be taken for it; a template in which one is
// not found exactly once is not made, and the session's events are stored whole.
const MARK = (name: string) => `\u0000${name}\u0000`;
const EPOCH = 0;
const HOLES = [
  ['accessKeyId', JSON.stringify(MARK('key'))],
  ['eventTime', JSON.stringify(iso(EPOCH))],
  ['sourceIPAddress', JSON.stringify(MARK('ip'))],
  ['userAgent', JSON.stringify(MARK('ua'))],
  ['requestID', JSON.stringify(MARK('request'))],
  ['eventID', JSON.stringify(MARK('event'))],
] as const;

/** What the record is written with in place of the values that differ between the events sharing a template. */
export const TEMPLATE_STAND_INS = {
  accessKeyId: MARK('key'),
  eventTime: EPOCH,
  eventId: MARK('event'),
  context: { sourceIp: MARK('ip'), userAgent: MARK('ua'), requestId: MARK('request') },
} as const;

/**
 * The template of a record written with `TEMPLATE_STAND_INS`, or undefined when its text does not
 * split cleanly. tlsDetails, the record's last member when present, goes between the last two parts.
 */
export function splitRecordTemplate(text: string): RecordTemplate | undefined {
  const parts: string[] = [];
  let from = 0;
  for (const [name, value] of HOLES) {
    const member = `"${name}":${value}`;
    const at = text.indexOf(member, from);
    if (at < 0 || text.lastIndexOf(member) !== at) return undefined;
    const valueAt = at + member.length - value.length;
    parts.push(text.slice(from, valueAt));
    from = valueAt + value.length;
  }
  if (!text.endsWith('}')) return undefined;
  parts.push(text.slice(from, -1), '}');
  return parts;
}

/** `template_fills` of an event: what its row's columns do not hold of the record. */
export const templateFills = (context: RequestContext): string =>
  JSON.stringify(context.tls ? [context.sourceIp, context.userAgent, context.tls] : [context.sourceIp, context.userAgent]);

/** The row's record, as the audit trail would have written it for the event. */
export function fillTemplate(parts: RecordTemplate, row: TemplatedRow): string {
  if (parts.length !== HOLES.length + 2) throw new Error(`an audit record template has ${parts.length} parts, not ${HOLES.length + 2}`);
  // A record without a key has no accessKeyId member at all: it is never stored as a template's.
  if (!row.access_key_id) throw new Error(`audit event ${row.event_id} fills a record template but names no access key`);
  if (row.template_fills === null) throw new Error(`audit event ${row.event_id}: its record template's values are missing`);
  const [sourceIp, userAgent, tls] = JSON.parse(row.template_fills) as [string, string, RequestContext['tls']?];
  // Number(): a driver without a bigint parser (a bare pg client) hands event_time back as text.
  const filled = [row.access_key_id, iso(Number(row.event_time)), sourceIp, userAgent, row.request_id, row.event_id];
  let text = parts[0]!;
  for (let i = 0; i < filled.length; i++) text += JSON.stringify(filled[i]) + parts[i + 1]!;
  return text + (tls ? `,"tlsDetails":${JSON.stringify(tls)}` : '') + parts[HOLES.length + 1]!;
}
