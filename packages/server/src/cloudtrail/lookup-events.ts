// CloudTrail's LookupEvents over the audit table, as its steps: validate the request the way
// CloudTrail does (one attribute, a time range that is one, 1–50 results, a token it issued for
// this very query), read one page of the caller's account newest first, and describe each event
// with the summary fields CloudTrail returns beside the record itself.
import { createHash } from 'node:crypto';
import type { Sealer } from '../crypto/sealer.ts';
import type { Store } from '../store/store.ts';
import { LOOKUP_COLUMNS, type AuditLookup, type LookedUpEvent, type LookupKey, type LookupPosition } from '../store/repos/audit-events.ts';
import { AwsServiceError } from '../aws-api/errors.ts';
import { INDEX_BATCH, indexPending } from '../audit/indexer.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export const MAX_RESULTS = 50;
/** LookupEvents covers the last 90 days (CloudTrail's Event history); older events are in the export. */
export const LOOKUP_WINDOW_MS = 90 * 24 * 3600_000;
const MAX_ATTRIBUTE_LENGTH = 2000;
/** At most this many indexing batches (10,000 events) before a lookup reads. */
const LOOKUP_INDEX_BATCHES = 10_000 / INDEX_BATCH;

export const invalidLookupAttributes = (message: string) => new AwsServiceError('InvalidLookupAttributesException', message);
const invalidTimeRange = (message: string) => new AwsServiceError('InvalidTimeRangeException', message);
const invalidMaxResults = () => new AwsServiceError('InvalidMaxResultsException', 'MaxResults must be from 1 to 50.');
const invalidNextToken = () => new AwsServiceError('InvalidNextTokenException', 'Invalid NextToken: it was not issued for a request with these parameters.');

export interface LookupEventsRequest {
  attribute?: { key: LookupKey; value: string };
  /** As given, epoch seconds; the token is bound to them. */
  startTime?: number;
  endTime?: number;
  insightsOnly: boolean;
  maxResults: number;
  nextToken?: string;
}

/** The summary CloudTrail returns for one event (the `Event` shape), EventTime in epoch seconds. */
export interface LookupEventsEvent {
  EventId: string;
  EventName: string;
  ReadOnly: 'true' | 'false';
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: Array<{ ResourceType: string; ResourceName: string }>;
  CloudTrailEvent: string;
}

export interface LookupEventsResponse {
  Events: LookupEventsEvent[];
  NextToken?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function epochSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 253_402_300_799) {
    throw invalidTimeRange(`${name} is not a valid time.`);
  }
  return seconds;
}

/** Validates the JSON 1.1 input in the order CloudTrail reports problems. */
export function parseLookupEventsRequest(input: Record<string, unknown>): LookupEventsRequest {
  const attributes = input.LookupAttributes ?? [];
  if (!Array.isArray(attributes)) throw invalidLookupAttributes('LookupAttributes must be a list.');
  if (attributes.length > 1) throw invalidLookupAttributes('You cannot specify more than one lookup attribute.');
  let attribute: LookupEventsRequest['attribute'];
  if (attributes.length === 1) {
    const [given] = attributes as unknown[];
    const key = isObject(given) ? given.AttributeKey : undefined;
    const value = isObject(given) ? given.AttributeValue : undefined;
    if (typeof key !== 'string' || !Object.hasOwn(LOOKUP_COLUMNS, key)) {
      throw invalidLookupAttributes(`AttributeKey must be one of ${Object.keys(LOOKUP_COLUMNS).join(', ')}.`);
    }
    if (typeof value !== 'string' || value.length < 1 || value.length > MAX_ATTRIBUTE_LENGTH) {
      throw invalidLookupAttributes('AttributeValue must be 1 to 2000 characters.');
    }
    if (key === 'ReadOnly' && value !== 'true' && value !== 'false') throw invalidLookupAttributes('The ReadOnly attribute value must be true or false.');
    attribute = { key: key as LookupKey, value };
  }
  const startTime = epochSeconds(input.StartTime, 'StartTime');
  const endTime = epochSeconds(input.EndTime, 'EndTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw invalidTimeRange('The start time must be before the end time.');
  }
  const category = input.EventCategory;
  if (category !== undefined && category !== null && category !== 'insight') {
    throw new AwsServiceError('InvalidEventCategoryException', 'EventCategory must be insight.');
  }
  const max = input.MaxResults ?? MAX_RESULTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw invalidMaxResults();
  const token = input.NextToken;
  if (token !== undefined && token !== null && (typeof token !== 'string' || token === '')) throw invalidNextToken();
  return { attribute, startTime, endTime, insightsOnly: category === 'insight', maxResults: max, nextToken: (token as string | null) ?? undefined };
}

/** What a NextToken carries: where the last page ended, and the window the first page fixed. */
interface PageToken {
  after: LookupPosition;
  start: number;
  end: number;
}

/** The token is sealed (AES-256-GCM) under a purpose naming the account and the query: opaque, tamper-evident, and useless for any other query. */
const tokenPurpose = (accountId: string, request: LookupEventsRequest) =>
  purposes.lookupEventsToken(
    createHash('sha256')
      .update(JSON.stringify([accountId, request.attribute?.key ?? null, request.attribute?.value ?? null, request.startTime ?? null, request.endTime ?? null]))
      .digest('base64url'),
  );

function openToken(sealer: Sealer, accountId: string, request: LookupEventsRequest): PageToken | undefined {
  if (request.nextToken === undefined) return undefined;
  try {
    const token = JSON.parse(sealer.open(request.nextToken, tokenPurpose(accountId, request))) as PageToken;
    if (![token.after?.time, token.after?.seq, token.start, token.end].every(Number.isSafeInteger)) throw new Error('malformed');
    return token;
  } catch {
    throw invalidNextToken();
  }
}

/**
 * The window in epoch milliseconds. CloudTrail's eventTime has whole seconds, so the bounds do
 * too: EndTime T includes every event recorded as T, whatever its milliseconds.
 */
function windowOf(request: LookupEventsRequest, now: number): { start: number; end: number } {
  const end = request.endTime === undefined ? now : Math.floor(request.endTime) * 1000 + 999;
  const start = request.startTime === undefined ? now - LOOKUP_WINDOW_MS : Math.floor(request.startTime) * 1000;
  return { start, end };
}

export function summaryOf(event: LookedUpEvent): LookupEventsEvent {
  return {
    EventId: event.event_id,
    EventName: event.event_name,
    ReadOnly: event.read_only ? 'true' : 'false',
    ...(event.access_key_id && { AccessKeyId: event.access_key_id }),
    EventTime: event.event_time / 1000,
    EventSource: event.event_source,
    ...(event.username !== null && { Username: event.username }),
    Resources: event.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: event.record,
  };
}

/** One page of the account's events for a validated request. */
export async function lookupEvents(
  deps: { store: Pick<Store, 'read' | 'transaction'>; sealer: Sealer },
  accountId: string,
  request: LookupEventsRequest,
  now: number,
): Promise<LookupEventsResponse> {
  const token = openToken(deps.sealer, accountId, request);
  // Keyless has no Insights events: asking for them alone finds none.
  if (request.insightsOnly) return { Events: [] };
  // Whatever committed before this request is found: the queue is indexed first (a bounded
  // amount, so a backlog after an outage slows no lookup for long; the indexer catches up).
  await indexPending(deps.store, LOOKUP_INDEX_BATCHES);
  const { start, end } = token ?? windowOf(request, now);
  const query: AuditLookup = { accountId, attribute: request.attribute, start, end, after: token?.after, limit: request.maxResults + 1 };
  const rows = await deps.store.read((rs) => rs.audit.lookup(query));
  const page = rows.slice(0, request.maxResults);
  const last = page.at(-1);
  const more = rows.length > request.maxResults && last !== undefined;
  const next: PageToken | undefined = more ? { after: { time: last.event_time, seq: Number(last.seq) }, start, end } : undefined;
  return { Events: page.map(summaryOf), ...(next && { NextToken: deps.sealer.seal(JSON.stringify(next), tokenPurpose(accountId, request)) }) };
}
