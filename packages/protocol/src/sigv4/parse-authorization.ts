// Where a SigV4 request keeps its signature: the `Authorization` header (AWS General Reference,
// "Add the signature to the HTTP request", header form) or the presigned query parameters (same
// page, query-string form). Parsed strictly: anything malformed is an IncompleteSignature, so
// later steps only see well-formed values.
import {
  incompleteSignature,
  invalidSigV4Request,
  missingAuthenticationToken,
} from './errors.ts';
import { SIGNATURE_QUERY_PARAM, type CanonicalHeaderMap, type QueryParam } from './canonical-request.ts';
import { isScopeDate, parseAmzDate, SCOPE_TERMINATOR, SIGV4_ALGORITHM, type CredentialScope } from './string-to-sign.ts';

export interface ParsedCredential {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
}

interface CommonAuthorization {
  readonly credential: ParsedCredential;
  /** Lower-case, strictly ascending, as the canonical request lists them. */
  readonly signedHeaders: readonly string[];
  /** 64 lower-case hex digits. */
  readonly signature: string;
}

export interface HeaderAuthorization extends CommonAuthorization {
  readonly presigned: false;
}

export interface PresignedAuthorization extends CommonAuthorization {
  readonly presigned: true;
  /** `X-Amz-Date`, already checked to be `YYYYMMDDTHHMMSSZ`. */
  readonly amzDate: string;
  /** `X-Amz-Expires` as sent; its range is a policy the verifier applies. */
  readonly expiresSeconds: number;
  readonly securityToken?: string;
}

export type SigV4Authorization = HeaderAuthorization | PresignedAuthorization;

/** SigV4's ceiling for `X-Amz-Expires`: seven days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

// The IAM model's AccessKeyIdType is `[\w]+` (16–128); the official test suite's AKIDEXAMPLE is shorter.
const ACCESS_KEY_ID = /^\w{1,128}$/;
const SCOPE_NAME = /^[a-z0-9-]{1,64}$/;
// RFC 9110 §5.1 token characters, lower-case only: SignedHeaders lists canonical (lower-cased) names.
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const EXPIRES = /^\d{1,10}$/;

/** Quotes a client-supplied value in a message without echoing an unbounded string. */
const quote = (value: string): string => `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}'`;

/** `AKID/YYYYMMDD/region/service/aws4_request`. */
export function parseCredential(value: string): ParsedCredential {
  const parts = value.split('/');
  if (parts.length !== 5) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got ${quote(value)}.`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (!ACCESS_KEY_ID.test(accessKeyId)) throw incompleteSignature('Credential has a malformed access key id.');
  if (!isScopeDate(date)) throw incompleteSignature('Invalid credential date. Date is not the required format: yyyyMMdd.');
  if (!SCOPE_NAME.test(region)) throw incompleteSignature(`Credential has a malformed region: ${quote(region)}.`);
  if (!SCOPE_NAME.test(service)) throw incompleteSignature(`Credential has a malformed service: ${quote(service)}.`);
  if (terminator !== SCOPE_TERMINATOR) {
    throw incompleteSignature(`Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not ${quote(terminator)}.`);
  }
  return { accessKeyId, scope: { date, region, service } };
}

export function parseSignedHeaders(value: string): string[] {
  const names = value.split(';');
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!HEADER_NAME.test(name)) throw incompleteSignature(`SignedHeaders contains a malformed header name: ${quote(name)}.`);
    // Strictly ascending: sorted as the canonical request requires, and no name twice.
    if (i > 0 && !(names[i - 1]! < name)) throw incompleteSignature('SignedHeaders must be sorted and list each header once.');
  }
  return names;
}

function parseSignature(value: string): string {
  if (!SIGNATURE.test(value)) throw incompleteSignature('Signature must be 64 lower-case hexadecimal digits.');
  return value;
}

const HEADER_COMPONENTS = ['Credential', 'SignedHeaders', 'Signature'] as const;
const COMPONENT_NAME = /^[A-Za-z]+$/;
const COMPONENT_VALUE = /^\S+$/;
type HeaderComponent = (typeof HEADER_COMPONENTS)[number];
const isHeaderComponent = (name: string): name is HeaderComponent => (HEADER_COMPONENTS as readonly string[]).includes(name);

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (components in any order, once each). */
export function parseAuthorizationHeader(value: string): HeaderAuthorization {
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = sdkSpelling(value) ?? headerComponents(value);
  return {
    presigned: false,
    credential: parseCredential(credential),
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature: parseSignature(signature),
  };
}

const SDK_PREFIX = `${SIGV4_ALGORITHM} Credential=`;
const SDK_SIGNED_HEADERS = ', SignedHeaders=';
const SDK_SIGNATURE = ', Signature=';
/** A value the general reading would take as one whole component: no blanks, no commas. */
const PLAIN_VALUE = /^[^\s,]+$/;

/**
 * The components of the spelling every SDK sends, `AWS4-HMAC-SHA256 Credential=a, SignedHeaders=b,
 * Signature=c`, found by position; undefined for any other spelling. Values without blanks or
 * commas are exactly what `headerComponents` would split out of that header, so the shortcut
 * accepts and refuses what the general reading does, without its splitting and trimming.
 */
function sdkSpelling(value: string): Record<HeaderComponent, string> | undefined {
  if (!value.startsWith(SDK_PREFIX)) return undefined;
  const signedHeadersAt = value.indexOf(SDK_SIGNED_HEADERS, SDK_PREFIX.length);
  const signatureAt = signedHeadersAt < 0 ? -1 : value.indexOf(SDK_SIGNATURE, signedHeadersAt + SDK_SIGNED_HEADERS.length);
  if (signatureAt < 0) return undefined;
  const Credential = value.slice(SDK_PREFIX.length, signedHeadersAt);
  const SignedHeaders = value.slice(signedHeadersAt + SDK_SIGNED_HEADERS.length, signatureAt);
  const Signature = value.slice(signatureAt + SDK_SIGNATURE.length);
  const plain = PLAIN_VALUE.test(Credential) && PLAIN_VALUE.test(SignedHeaders) && PLAIN_VALUE.test(Signature);
  return plain ? { Credential, SignedHeaders, Signature } : undefined;
}

/** The general reading: algorithm, blanks, then `name=value` components split on commas. */
function headerComponents(value: string): Record<HeaderComponent, string> {
  const match = /^(\S+) +(\S.*)$/.exec(value.trim());
  if (!match) throw incompleteSignature(`Authorization header is malformed: ${quote(value)}.`);
  const [, algorithm, rest] = match as unknown as [string, string, string];
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': ${quote(algorithm)}. Only ${SIGV4_ALGORITHM} is accepted.`);
  }
  const found: Partial<Record<HeaderComponent, string>> = {};
  for (const component of rest.split(',')) {
    // `name=value`, blanks around it: the name letters only, the value without blanks (it may hold "=").
    const pair = component.trim();
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const componentValue = pair.slice(eq + 1);
    if (eq < 1 || !COMPONENT_NAME.test(name) || !COMPONENT_VALUE.test(componentValue)) {
      throw incompleteSignature(`Invalid key=value pair in Authorization header: ${quote(pair)}.`);
    }
    if (!isHeaderComponent(name)) throw incompleteSignature(`Authorization header has an unknown component: ${quote(name)}.`);
    if (found[name] !== undefined) throw incompleteSignature(`Authorization header repeats '${name}'.`);
    found[name] = componentValue;
  }
  const { Credential, SignedHeaders, Signature } = found;
  if (Credential === undefined || SignedHeaders === undefined || Signature === undefined) {
    const missing = HEADER_COMPONENTS.filter((name) => found[name] === undefined);
    throw incompleteSignature(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' '));
  }
  return { Credential, SignedHeaders, Signature };
}

const PRESIGNED_REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  SIGNATURE_QUERY_PARAM,
] as const;
const PRESIGNED_PARAMS: readonly string[] = [...PRESIGNED_REQUIRED, 'X-Amz-Security-Token'];

/** The `X-Amz-*` parameters of a presigned URL, each at most once. */
export function parsePresignedQuery(params: readonly QueryParam[]): PresignedAuthorization {
  const found = new Map<string, string>();
  for (const { name, value } of params) {
    if (!PRESIGNED_PARAMS.includes(name)) continue;
    if (found.has(name)) throw incompleteSignature(`The query parameter '${name}' appears more than once.`);
    found.set(name, value);
  }
  const missing = PRESIGNED_REQUIRED.filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw incompleteSignature(`Presigned request requires the query parameters: ${missing.join(', ')}.`);
  }
  const get = (name: string): string => found.get(name)!;
  if (get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) {
    throw incompleteSignature(`X-Amz-Algorithm only supports ${SIGV4_ALGORITHM}, not ${quote(get('X-Amz-Algorithm'))}.`);
  }
  const amzDate = get('X-Amz-Date');
  if (!parseAmzDate(amzDate)) throw incompleteSignature("X-Amz-Date must be in the ISO8601 basic format 'yyyyMMddTHHmmssZ'.");
  const expires = get('X-Amz-Expires');
  if (!EXPIRES.test(expires)) throw incompleteSignature('X-Amz-Expires should be a number of seconds.');
  const securityToken = found.get('X-Amz-Security-Token');
  return {
    presigned: true,
    credential: parseCredential(get('X-Amz-Credential')),
    signedHeaders: parseSignedHeaders(get('X-Amz-SignedHeaders')),
    signature: parseSignature(get(SIGNATURE_QUERY_PARAM)),
    amzDate,
    expiresSeconds: Number(expires),
    ...(securityToken === undefined ? {} : { securityToken }),
  };
}

/** The one value of a header that must not repeat, or undefined when absent. */
export function singleHeader(headers: CanonicalHeaderMap, name: string): string | undefined {
  const values = headers.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw incompleteSignature(`The '${name}' header must appear exactly once.`);
  return values[0];
}

const PRESIGN_MARKERS = ['X-Amz-Algorithm', 'X-Amz-Credential', SIGNATURE_QUERY_PARAM];

/** Picks the request's one authentication mechanism and parses it. */
export function parseSigV4Authorization(headers: CanonicalHeaderMap, params: readonly QueryParam[]): SigV4Authorization {
  const header = singleHeader(headers, 'authorization');
  const presigned = params.some((param) => PRESIGN_MARKERS.includes(param.name));
  if (header !== undefined && presigned) {
    throw invalidSigV4Request(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified.',
    );
  }
  if (header !== undefined) return parseAuthorizationHeader(header);
  if (presigned) return parsePresignedQuery(params);
  throw missingAuthenticationToken();
}
