// IAM's pagination: MaxItems and an opaque Marker. The marker is the last name returned, so a
// page is one indexed range read however deep the listing goes.
import { checkMaxItems } from '../validate.ts';
import { invalidInput } from '../errors.ts';

export interface PageRequest {
  marker?: string;
  maxItems?: number;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** Present when truncated: what the next request passes as Marker. */
  marker?: string;
}

export function afterOf(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const after = Buffer.from(marker, 'base64url').toString('utf8');
  if (!after || Buffer.from(after, 'utf8').toString('base64url') !== marker) throw invalidInput('The marker is not valid: pass the Marker of the previous response.');
  return after;
}

/** Reads one item more than asked, to know whether another page follows. */
export async function pageOf<T>(request: PageRequest, read: (after: string | undefined, limit: number) => Promise<T[]>, nameOf: (item: T) => string): Promise<Page<T>> {
  const limit = checkMaxItems(request.maxItems);
  const rows = await read(afterOf(request.marker), limit + 1);
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, isTruncated: true, marker: Buffer.from(nameOf(items.at(-1)!), 'utf8').toString('base64url') } : { items, isTruncated: false };
}

/** The same over a list already in memory, sorted by name. */
export function pageOfList<T>(request: PageRequest, all: readonly T[], nameOf: (item: T) => string): Page<T> {
  const after = afterOf(request.marker);
  const from = after === undefined ? 0 : all.findIndex((item) => nameOf(item) > after);
  const rest = from < 0 ? [] : all.slice(from);
  const limit = checkMaxItems(request.maxItems);
  const items = rest.slice(0, limit);
  return rest.length > limit ? { items, isTruncated: true, marker: Buffer.from(nameOf(items.at(-1)!), 'utf8').toString('base64url') } : { items, isTruncated: false };
}
