// Task 1 of SigV4: the canonical request (AWS General Reference, "Create a canonical request for
// Signature Version 4"; IAM User Guide, "Elements of an AWS API request signature"):
//
//   HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// Shared by the signer and the verifier, so both build the very same bytes from a wire request.
import { invalidSigV4Request } from './errors.ts';
import { sha256 } from './sha256.ts';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SIGNATURE_QUERY_PARAM = 'X-Amz-Signature';

const HEX = '0123456789ABCDEF';

/** RFC 3986 §2.3 unreserved characters: the only bytes SigV4 leaves unencoded. */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

/** AWS's `UriEncode()`: every byte outside the unreserved set as `%XX`, upper-case hex, UTF-8 for text. */
export function uriEncode(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let out = '';
  for (const byte of bytes) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

const hexValue = (code: number): number =>
  code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1;

/**
 * Percent-decodes one query component to bytes. Works on bytes, not text, so `%FF` survives the
 * decode/re-encode round trip. `+` is a space, as in every form-style query AWS accepts.
 */
function percentDecode(component: string): Buffer {
  const raw = Buffer.from(component.replace(/\+/g, ' '), 'utf8');
  const out = Buffer.alloc(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte !== 0x25) {
      out[length++] = byte;
      continue;
    }
    const high = hexValue(raw[i + 1] ?? -1);
    const low = hexValue(raw[i + 2] ?? -1);
    if (high < 0 || low < 0) throw invalidSigV4Request('The query string contains a malformed percent-encoding.');
    out[length++] = (high << 4) | low;
    i += 2;
  }
  return out.subarray(0, length);
}

export interface QueryParam {
  /** Decoded, as UTF-8 text: for reading `X-Amz-*` parameters. */
  readonly name: string;
  readonly value: string;
  /** Decoded then `UriEncode`d: the canonical spelling. */
  readonly encodedName: string;
  readonly encodedValue: string;
}

/** Splits a raw query string (without `?`) into its parameters, in wire order. A bare `key` has value "". */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = percentDecode(eq < 0 ? '' : pair.slice(eq + 1));
    params.push({
      name: name.toString('utf8'),
      value: value.toString('utf8'),
      encodedName: uriEncode(name),
      encodedValue: uriEncode(value),
    });
  }
  return params;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorted by encoded name, then by encoded value (both ASCII after encoding, so code-unit order is
 * byte order). A presigned URL's own `X-Amz-Signature` is left out: it cannot sign itself.
 */
export function canonicalQueryString(params: readonly QueryParam[], options: { presigned: boolean }): string {
  if (params.length === 0) return '';
  return params
    .filter((param) => !(options.presigned && param.name === SIGNATURE_QUERY_PARAM))
    .map((param) => [param.encodedName, param.encodedValue] as const)
    .sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * The canonical URI of a wire path (already percent-encoded once by the client).
 * Every service but S3 normalises it (RFC 3986 dot segments, empty segments dropped) and
 * URI-encodes each segment a second time; S3 signs the path exactly as sent.
 * With the official suite's unencoded paths (`/example space/`) the same rule yields its
 * single-encoded expectations (`/example%20space/`).
 */
export function canonicalUri(path: string, options: { doubleEncode: boolean }): string {
  if (path === '' || path === '/') return '/';
  if (!options.doubleEncode) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${leading}${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Header names lower-cased, each name's values kept in wire order. */
export type CanonicalHeaderMap = ReadonlyMap<string, readonly string[]>;

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Node's `req.rawHeaders`: name, value, name, value… in wire order, names as the client spelled them. */
export type RawHeaders = readonly string[];

/**
 * Pass Node's `req.rawHeaders`, or a per-value form such as `req.headersDistinct`: `req.headers`
 * joins repeated headers with ", ", which SigV4 would sign as one value and so never match a
 * client that sent the header twice. A server should prefer `rawHeaders`: Node builds
 * `headersDistinct` from it on first read, an object per request for nothing.
 */
export function normalizeHeaders(headers: RequestHeaders | RawHeaders): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (isRawHeaders(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) addHeader(out, headers[i]!, headers[i + 1]!);
    return out;
  }
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) addHeader(out, name, value);
  }
  return out;
}

const isRawHeaders = (headers: RequestHeaders | RawHeaders): headers is RawHeaders => Array.isArray(headers);

function addHeader(out: Map<string, string[]>, name: string, value: string | readonly string[]): void {
  const key = name.toLowerCase();
  const values = out.get(key);
  if (values === undefined) out.set(key, typeof value === 'string' ? [value] : [...value]);
  else if (typeof value === 'string') values.push(value);
  else values.push(...value);
}

/** What canonicalHeaderValue would change: a tab, two spaces in a row, a space at either end. */
const NEEDS_TRIMMING = /\t| {2}|^ | $/;

/** Trims each value, collapses runs of spaces (and tabs, as the SDKs do), joins repeats with ",". */
export function canonicalHeaderValue(values: readonly string[]): string {
  if (values.length === 1 && !NEEDS_TRIMMING.test(values[0]!)) return values[0]!;
  return values.map((value) => value.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')).join(',');
}

/** `name:value\n` for each signed header, in the order given (sorted, as `SignedHeaders` is). */
export function canonicalHeaders(headers: CanonicalHeaderMap, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    const values = headers.get(name);
    if (values === undefined) throw new RangeError(`Signed header '${name}' is not in the request`);
    out += `${name}:${canonicalHeaderValue(values)}\n`;
  }
  return out;
}

export const hashPayload = (body: string | Uint8Array): string => sha256(body, 'hex');

export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  /** Output of `canonicalHeaders()`, each line ending in "\n". */
  readonly canonicalHeaders: string;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    parts.canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
