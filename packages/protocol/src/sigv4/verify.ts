// Verifies a SigV4-signed request the way AWS does (PROTOCOL.md §4: what `aws sts
// get-caller-identity` sends). The endpoint reads as its steps: parse → time → scope → signed
// headers → payload → credential → signature → session token. Pure: the clock and the
// credential store are passed in.
import { timingSafeEqual } from 'node:crypto';
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  hashPayload,
  normalizeHeaders,
  parseQuery,
  uriEncode,
  UNSIGNED_PAYLOAD,
  type CanonicalHeaderMap,
  type QueryParam,
  type RawHeaders,
  type RequestHeaders,
} from './canonical-request.ts';
import {
  accessDenied,
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  invalidSigV4Request,
  requestExpired,
  signatureDoesNotMatch,
} from './errors.ts';
import {
  MAX_PRESIGNED_EXPIRES_SECONDS,
  parseSigV4Authorization,
  singleHeader,
  type SigV4Authorization,
} from './parse-authorization.ts';
import { calculateSignature, signingKeyFor, type ScopedSigningKey, type SigningKeyDeriver } from './signing-key.ts';
import { sha256Bytes } from './sha256.ts';
import { formatAmzDate, parseAmzDate, parseHttpDate, stringToSign } from './string-to-sign.ts';

export interface SigV4Request {
  readonly method: string;
  /** The path exactly as it arrived (still percent-encoded), without the query. */
  readonly path: string;
  /** The raw query string, without `?`; "" when there is none. */
  readonly query: string;
  /** Node's `req.rawHeaders`, or one entry per header name with repeated headers as arrays (`req.headersDistinct`). */
  readonly headers: RequestHeaders | RawHeaders;
  readonly body: Buffer;
}

/** A live credential as the caller's store holds it. */
export interface StoredSigV4Credential {
  readonly secretAccessKey: string;
  /** Present for temporary credentials; the request must then carry exactly this token. */
  readonly sessionToken?: string;
  /** Instead of the token: its SHA-256 (32 bytes), for stores that keep only digests of bearer secrets. */
  readonly sessionTokenSha256?: Uint8Array;
  /**
   * This secret's signing key per scope, for a store that keeps the credential in memory
   * (`signingKeysOf(secretAccessKey)`); without it `options.signingKey` derives it from the secret.
   */
  readonly signingKey?: ScopedSigningKey;
}

/** What `lookupSecret` answers for a key id the store knows but that may no longer sign (ExpiredToken). */
export interface ExpiredSigV4Credential {
  readonly expired: true;
  /** Its session was revoked (signed out, by an administrator, reuse detected), rather than run out: said in the message. */
  readonly revoked?: true;
}

export type SigV4CredentialLookup = (
  accessKeyId: string,
) => Promise<StoredSigV4Credential | ExpiredSigV4Credential | undefined>;

export interface VerifySigV4Options {
  /** The caller's clock. */
  readonly now: Date;
  /** The signing name this endpoint answers to (`sts`); the credential scope must name it. */
  readonly service: string;
  /** Regions a credential scope may name; any well-formed region when absent. */
  readonly regions?: readonly string[];
  /** undefined → InvalidClientTokenId; `{ expired: true }` → ExpiredToken (expired or revoked). */
  readonly lookupSecret: SigV4CredentialLookup;
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (and S3-style presigned URLs). Default false. */
  readonly allowUnsignedPayload?: boolean;
  /** Default 300: AWS's five minutes. */
  readonly maxSkewSeconds?: number;
  /** Default 604800 (seven days), the SigV4 ceiling. */
  readonly maxPresignedExpiresSeconds?: number;
  /** Every service but S3 normalises and double-encodes the path. Default: `service !== 's3'`. */
  readonly doubleEncodePath?: boolean;
  /** Defaults to a process-wide memo. */
  readonly signingKey?: SigningKeyDeriver;
}

declare const verified: unique symbol;
/** A request whose signature, time, scope and session token were all checked. */
export interface VerifiedSigV4Request {
  readonly [verified]: true;
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  readonly signedAt: Date;
  readonly presigned: boolean;
}

export const DEFAULT_MAX_SKEW_SECONDS = 300;

export async function verifySigV4(request: SigV4Request, options: VerifySigV4Options): Promise<VerifiedSigV4Request> {
  const headers = normalizeHeaders(request.headers);
  const params = parseQuery(request.query);
  const auth = parseSigV4Authorization(headers, params);
  const { signedAt, amzDate } = signingTime(auth, headers);
  checkTime(auth, signedAt, amzDate, options);
  checkScope(auth, amzDate, options);
  checkSignedHeaders(auth, headers);
  const payloadHash = payloadHashOf(auth, headers, params, request.body, options.allowUnsignedPayload ?? false);
  const stored = await lookupCredential(auth.credential.accessKeyId, options.lookupSecret);
  checkSignature({ request, headers, params, auth, amzDate, payloadHash, stored, options });
  // After the signature, so only the key's holder learns whether a token was the right one.
  checkSessionToken(expectedTokenDigest(stored), presentedToken(auth, headers));
  const { accessKeyId, scope } = auth.credential;
  return { accessKeyId, region: scope.region, service: scope.service, signedAt, presigned: auth.presigned } as VerifiedSigV4Request;
}

/** The instant the client signed at: `X-Amz-Date` (query or header), else the HTTP `Date` header. */
function signingTime(auth: SigV4Authorization, headers: CanonicalHeaderMap): { signedAt: Date; amzDate: string } {
  if (auth.presigned) return { signedAt: parseAmzDate(auth.amzDate)!, amzDate: auth.amzDate };
  const amzDate = singleHeader(headers, 'x-amz-date');
  if (amzDate !== undefined) {
    const signedAt = parseAmzDate(amzDate);
    if (!signedAt) throw incompleteSignature("X-Amz-Date must be in the ISO8601 basic format 'yyyyMMddTHHmmssZ'.");
    return { signedAt, amzDate };
  }
  const date = singleHeader(headers, 'date');
  if (date === undefined) {
    throw incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseHttpDate(date);
  if (!signedAt) throw incompleteSignature("The 'Date' header must be an RFC 9110 IMF-fixdate.");
  return { signedAt, amzDate: formatAmzDate(signedAt) };
}

/**
 * Header form: within ±maxSkew of now. Presigned: 1 ≤ X-Amz-Expires ≤ max, not yet past
 * signedAt + expires, and not signed further than maxSkew in the future.
 *
 * Skew answers `RequestExpired`. AWS's own STS answers `SignatureDoesNotMatch` "Signature
 * expired…", but PROTOCOL.md §4 specifies RequestExpired and it is unambiguous: it is in every
 * official SDK's clock-skew code list (smithy `CLOCK_SKEW_ERROR_CODES`, Java's RetryUtils,
 * aws-sdk-js v2 `isClockSkewError`) without also meaning "wrong key". The JS SDK v3 additionally
 * corrects its clock from the error response's `Date` header whatever the code, so the server must
 * send `Date` on error responses (Node's http does by default).
 */
function checkTime(auth: SigV4Authorization, signedAt: Date, amzDate: string, options: VerifySigV4Options): void {
  if (auth.presigned) {
    const max = options.maxPresignedExpiresSeconds ?? MAX_PRESIGNED_EXPIRES_SECONDS;
    if (auth.expiresSeconds < 1 || auth.expiresSeconds > max) {
      throw incompleteSignature(`X-Amz-Expires must be between 1 and ${max} seconds.`);
    }
  }
  const skewSeconds = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const now = options.now.getTime();
  const at = (ms: number) => formatAmzDate(new Date(ms));
  if (signedAt.getTime() > now + skewSeconds * 1000) {
    throw requestExpired(
      `Signature not yet current: ${amzDate} is still later than ${at(now + skewSeconds * 1000)} (${at(now)} + ${skewSeconds / 60} min.)`,
    );
  }
  const lifetimeSeconds = auth.presigned ? auth.expiresSeconds : skewSeconds;
  if (now <= signedAt.getTime() + lifetimeSeconds * 1000) return;
  throw requestExpired(
    auth.presigned
      ? `Request has expired: the presigned URL was valid until ${at(signedAt.getTime() + lifetimeSeconds * 1000)}, it is now ${at(now)}.`
      : `Signature expired: ${amzDate} is now earlier than ${at(now - skewSeconds * 1000)} (${at(now)} - ${skewSeconds / 60} min.)`,
  );
}

/** The scope must name the signing day, this service and an accepted region (AWS answers SignatureDoesNotMatch). */
function checkScope(auth: SigV4Authorization, amzDate: string, options: VerifySigV4Options): void {
  const { scope } = auth.credential;
  if (scope.date !== amzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (scope.service !== options.service) {
    throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (options.regions !== undefined && !options.regions.includes(scope.region)) {
    throw signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${scope.region}'.`);
  }
}

/** CloudFront adds `X-Amz-Cf-Id` to every origin request; the service never acts on it. */
const PROXY_ADDED = new Set(['x-amz-cf-id']);

/**
 * `host` must be signed (SigV4: "the host header must be included as a signed header"), every
 * `x-amz-*` header present must be signed (else a proxy could add one, e.g. a security token, that
 * changes the meaning of the request), and every signed header must be present.
 */
function checkSignedHeaders(auth: SigV4Authorization, headers: CanonicalHeaderMap): void {
  const signed = new Set(auth.signedHeaders);
  if (!signed.has('host')) {
    throw incompleteSignature(`'Host' must be a 'SignedHeader' in the AWS ${auth.presigned ? 'X-Amz-SignedHeaders' : 'Authorization'}.`);
  }
  const unsigned: string[] = [];
  for (const name of headers.keys()) if (name.startsWith('x-amz-') && !signed.has(name) && !PROXY_ADDED.has(name)) unsigned.push(name);
  if (unsigned.length > 0) {
    throw accessDenied(`There were headers present in the request which were not signed: ${unsigned.sort().join(', ')}`);
  }
  for (const name of auth.signedHeaders) {
    if (!headers.has(name)) throw signatureDoesNotMatch(`The signed header '${name}' is missing from the request.`);
  }
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The payload line of the canonical request. A declared `x-amz-content-sha256` is signed verbatim,
 * so it must be UNSIGNED-PAYLOAD (when allowed) or the body's actual digest. Without one, the
 * body's digest; S3-style presigned URLs (allowUnsignedPayload) sign UNSIGNED-PAYLOAD.
 */
function payloadHashOf(
  auth: SigV4Authorization,
  headers: CanonicalHeaderMap,
  params: readonly QueryParam[],
  body: Buffer,
  allowUnsignedPayload: boolean,
): string {
  const declared =
    singleHeader(headers, 'x-amz-content-sha256') ??
    (auth.presigned ? params.find((param) => param.name.toLowerCase() === 'x-amz-content-sha256')?.value : undefined);
  if (declared === undefined) return auth.presigned && allowUnsignedPayload ? UNSIGNED_PAYLOAD : hashPayload(body);
  if (declared === UNSIGNED_PAYLOAD) {
    if (!allowUnsignedPayload) throw invalidSigV4Request('UNSIGNED-PAYLOAD is not accepted by this service; sign the payload.');
    return declared;
  }
  if (!SHA256_HEX.test(declared)) {
    throw invalidSigV4Request('x-amz-content-sha256 must be UNSIGNED-PAYLOAD or the hex SHA-256 of the payload.');
  }
  if (declared.toLowerCase() !== hashPayload(body)) {
    throw signatureDoesNotMatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return declared;
}

async function lookupCredential(accessKeyId: string, lookupSecret: SigV4CredentialLookup): Promise<StoredSigV4Credential> {
  const stored = await lookupSecret(accessKeyId);
  if (stored === undefined) throw invalidClientTokenId();
  if ('expired' in stored) throw expiredToken({ revoked: stored.revoked === true });
  return stored;
}

interface SignatureCheck {
  readonly request: SigV4Request;
  readonly headers: CanonicalHeaderMap;
  readonly params: readonly QueryParam[];
  readonly auth: SigV4Authorization;
  readonly amzDate: string;
  readonly payloadHash: string;
  readonly stored: StoredSigV4Credential;
  readonly options: VerifySigV4Options;
}

/** Rebuilds the canonical request and string to sign, and compares signatures in constant time. */
function checkSignature({ request, headers, params, auth, amzDate, payloadHash, stored, options }: SignatureCheck): void {
  const creq = canonicalRequest({
    method: request.method,
    canonicalUri: canonicalUri(request.path, { doubleEncode: options.doubleEncodePath ?? options.service !== 's3' }),
    canonicalQuery: canonicalQueryString(params, { presigned: auth.presigned }),
    canonicalHeaders: canonicalHeaders(headers, auth.signedHeaders),
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  const { scope } = auth.credential;
  const sts = stringToSign(amzDate, scope, creq);
  const signingKey = stored.signingKey?.(scope) ?? (options.signingKey ?? signingKeyFor)(stored.secretAccessKey, scope);
  const expected = calculateSignature(signingKey, sts);
  // Both are 64 hex digits (the parser checked), as timingSafeEqual requires equal lengths.
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    throw signatureDoesNotMatch(undefined, { canonicalRequest: redact(creq, presentedToken(auth, headers)), stringToSign: sts });
  }
}

function presentedToken(auth: SigV4Authorization, headers: CanonicalHeaderMap): string | undefined {
  return auth.presigned ? auth.securityToken : singleHeader(headers, 'x-amz-security-token');
}

const digest = (value: string): Buffer => sha256Bytes(value);

/** Temporary credentials need their own token; long-term keys must not present one. Constant time. */
function expectedTokenDigest(stored: StoredSigV4Credential): Uint8Array | undefined {
  if (stored.sessionTokenSha256 !== undefined) return stored.sessionTokenSha256;
  return stored.sessionToken === undefined ? undefined : digest(stored.sessionToken);
}

function checkSessionToken(expected: Uint8Array | undefined, presented: string | undefined): void {
  if (expected === undefined && presented === undefined) return;
  if (expected === undefined || presented === undefined) throw invalidClientTokenId();
  // Digests: timingSafeEqual needs equal lengths, and the token's length must not leak either.
  const actual = digest(presented);
  if (actual.length !== expected.length || !timingSafeEqual(expected, actual)) throw invalidClientTokenId();
}

/** The canonical request for the log, without the bearer session token it may contain. */
function redact(creq: string, token: string | undefined): string {
  if (!token) return creq;
  return creq.split(token).join('<redacted>').split(uriEncode(token)).join('<redacted>');
}
