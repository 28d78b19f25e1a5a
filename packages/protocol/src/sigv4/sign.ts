// The client half: sign a request (header form) or presign a URL (query form) with the same
// canonical-request code the verifier uses. Small and dependency-free so the CLI can call STS
// (`keyless whoami`) without bundling the AWS SDK. The time is an argument, as in the SDK's signer.
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  hashPayload,
  parseQuery,
  uriEncode,
  UNSIGNED_PAYLOAD,
  SIGNATURE_QUERY_PARAM,
} from './canonical-request.ts';
import { calculateSignature, deriveSigningKey } from './signing-key.ts';
import { formatAmzDate, formatCredentialScope, SIGV4_ALGORITHM, stringToSign, type CredentialScope } from './string-to-sign.ts';
import { MAX_PRESIGNED_EXPIRES_SECONDS } from './parse-authorization.ts';

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignRequestInput {
  readonly method: string;
  readonly url: string | URL;
  /** Headers the request will carry and that should be signed (content-type, …). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly credentials: SigV4Credentials;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body's digest (only services like S3 accept it). */
  readonly unsignedPayload?: boolean;
  /** Default: `service !== 's3'`, as for the verifier. */
  readonly doubleEncodePath?: boolean;
}

/** The headers to add to the request. `host` is signed as `url.host` (or `headers.host`) and sent by the HTTP client. */
export interface SigV4AuthHeaders {
  readonly authorization: string;
  readonly 'x-amz-date': string;
  readonly 'x-amz-content-sha256': string;
  readonly 'x-amz-security-token'?: string;
}

export interface PresignUrlInput extends Omit<SignRequestInput, 'body'> {
  readonly body?: string | Uint8Array;
  /** 1 to 604800 (seven days). */
  readonly expiresInSeconds: number;
}

const GENERATED = ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

interface Prepared {
  readonly url: URL;
  readonly headers: Map<string, string[]>;
  readonly amzDate: string;
  readonly scope: CredentialScope;
  readonly payloadHash: string;
}

function prepare(input: SignRequestInput | PresignUrlInput): Prepared {
  const url = new URL(input.url);
  const headers = new Map<string, string[]>();
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const key = name.toLowerCase();
    if (GENERATED.includes(key)) throw new TypeError(`The signer sets '${key}' itself; do not pass it`);
    headers.set(key, [value]);
  }
  if (!headers.has('host')) headers.set('host', [url.host]);
  const amzDate = formatAmzDate(input.now);
  return {
    url,
    headers,
    amzDate,
    scope: { date: amzDate.slice(0, 8), region: input.region, service: input.service },
    payloadHash: input.unsignedPayload ? UNSIGNED_PAYLOAD : hashPayload(input.body ?? ''),
  };
}

function signatureFor(input: SignRequestInput | PresignUrlInput, prepared: Prepared, query: string, presigned: boolean) {
  const signedHeaders = [...prepared.headers.keys()].sort();
  const creq = canonicalRequest({
    method: input.method,
    canonicalUri: canonicalUri(prepared.url.pathname, { doubleEncode: input.doubleEncodePath ?? input.service !== 's3' }),
    canonicalQuery: canonicalQueryString(parseQuery(query), { presigned }),
    canonicalHeaders: canonicalHeaders(prepared.headers, signedHeaders),
    signedHeaders,
    payloadHash: prepared.payloadHash,
  });
  const key = deriveSigningKey(input.credentials.secretAccessKey, prepared.scope);
  return { signedHeaders, signature: calculateSignature(key, stringToSign(prepared.amzDate, prepared.scope, creq)) };
}

/** Header-form SigV4 (AWS General Reference, "Add the signature to the HTTP request"). */
export function signRequest(input: SignRequestInput): SigV4AuthHeaders {
  const prepared = prepare(input);
  const { sessionToken } = input.credentials;
  const generated: Record<string, string> = {
    'x-amz-date': prepared.amzDate,
    'x-amz-content-sha256': prepared.payloadHash,
    ...(sessionToken === undefined ? {} : { 'x-amz-security-token': sessionToken }),
  };
  for (const [name, value] of Object.entries(generated)) prepared.headers.set(name, [value]);
  const { signedHeaders, signature } = signatureFor(input, prepared, prepared.url.search.slice(1), false);
  return {
    authorization:
      `${SIGV4_ALGORITHM} Credential=${input.credentials.accessKeyId}/${formatCredentialScope(prepared.scope)}, ` +
      `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    'x-amz-date': prepared.amzDate,
    'x-amz-content-sha256': prepared.payloadHash,
    ...(sessionToken === undefined ? {} : { 'x-amz-security-token': sessionToken }),
  };
}

/** Query-form SigV4: a URL anyone holding it can use until it expires. Signs `host` and the given headers. */
export function presignUrl(input: PresignUrlInput): string {
  if (!Number.isInteger(input.expiresInSeconds) || input.expiresInSeconds < 1 || input.expiresInSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_PRESIGNED_EXPIRES_SECONDS}`);
  }
  const prepared = prepare(input);
  const signedHeaderList = [...prepared.headers.keys()].sort().join(';');
  const { sessionToken } = input.credentials;
  const auth: [string, string][] = [
    ['X-Amz-Algorithm', SIGV4_ALGORITHM],
    ['X-Amz-Credential', `${input.credentials.accessKeyId}/${formatCredentialScope(prepared.scope)}`],
    ['X-Amz-Date', prepared.amzDate],
    ['X-Amz-Expires', String(input.expiresInSeconds)],
    ['X-Amz-SignedHeaders', signedHeaderList],
    ...(sessionToken === undefined ? [] : [['X-Amz-Security-Token', sessionToken] as [string, string]]),
  ];
  const existing = prepared.url.search.slice(1);
  const query = [existing, ...auth.map(([name, value]) => `${name}=${uriEncode(value)}`)].filter(Boolean).join('&');
  const { signature } = signatureFor(input, prepared, query, true);
  prepared.url.search = `?${query}&${SIGNATURE_QUERY_PARAM}=${signature}`;
  return prepared.url.toString();
}
