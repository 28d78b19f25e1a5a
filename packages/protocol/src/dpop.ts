// DPoP (RFC 9449) for the token endpoint. Clients prove possession of one P-256 key for the whole
// login session; the refresh token is bound to that key's RFC 7638 thumbprint (PROTOCOL.md §2).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { invalidDpopProof } from './errors.ts';
import { sha256Base64url } from './encoding.ts';

export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

declare const verified: unique symbol;
/** A proof whose signature, typ, alg, htm, htu and iat were checked. jti replay is the caller's next step. */
export interface VerifiedDpopProof {
  readonly [verified]: true;
  /** RFC 7638 thumbprint of the proof's public key: what a refresh token is bound to (`cnf.jkt`). */
  readonly jkt: string;
  readonly jti: string;
  readonly iat: number;
}

export interface DpopVerifyOptions {
  /** `POST` for the token endpoint. */
  htm: string;
  /** Every spelling of this endpoint's URL the server answers to, without query or fragment. */
  htu: readonly string[];
  /** Seconds since the epoch: the caller's clock, never read here. */
  now: number;
  /** How old a proof may be (§11.1: short); the jti store must remember jtis at least this long. */
  maxAgeSeconds?: number;
  /** Tolerated client clock lead. */
  maxFutureSeconds?: number;
}

export const DPOP_MAX_AGE_SECONDS = 300;
export const DPOP_MAX_FUTURE_SECONDS = 60;
const MAX_PROOF_LENGTH = 4096;
const JTI_PATTERN = /^[\x21-\x7e]{16,128}$/;

/** RFC 7638 §3.2: required members only, lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: EcPublicJwk): string {
  return sha256Base64url(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`);
}

/** Normalises an http(s) URL for htu comparison (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2–6.2.3). */
export function normalizeHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // URL already lower-cases scheme and host and drops default ports; query and fragment are ignored.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

// Importing a JWK costs more than verifying with it; a login session reuses one key, so keep a few.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 4096;

function publicKeyOf(jwk: EcPublicJwk): KeyObject {
  const id = `${jwk.x}.${jwk.y}`;
  let key = keyCache.get(id);
  if (key) return key;
  try {
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch {
    throw invalidDpopProof('DPoP proof jwk is not a valid P-256 public key.');
  }
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, key);
  return key;
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw invalidDpopProof(`DPoP proof ${what} is not a JSON object.`);
}

function parseJwk(value: unknown): EcPublicJwk {
  if (!value || typeof value !== 'object') throw invalidDpopProof('DPoP proof header has no jwk.');
  const jwk = value as Record<string, unknown>;
  // §4.3 step 7: the key must be public. A `d` member means the client leaked its private key.
  if ('d' in jwk) throw invalidDpopProof('DPoP proof jwk contains a private key.');
  const b64 = /^[A-Za-z0-9_-]{43}$/;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || !b64.test(jwk.x) || !b64.test(jwk.y)) {
    throw invalidDpopProof('DPoP proof jwk must be an EC P-256 public key.');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** RFC 9449 §4.3 steps 1–11 (no server nonce, no `ath`: clients send neither). */
export function verifyDpopProof(header: string | string[] | undefined, options: DpopVerifyOptions): VerifiedDpopProof {
  if (header === undefined) throw invalidDpopProof('The DPoP header is required.');
  if (Array.isArray(header)) throw invalidDpopProof('Exactly one DPoP header is allowed.');
  if (header.length > MAX_PROOF_LENGTH) throw invalidDpopProof('The DPoP proof is too long.');
  const parts = header.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw invalidDpopProof('The DPoP proof is not a compact JWS.');
  }
  const [protectedB64, payloadB64, signatureB64] = parts as [string, string, string];
  const protectedHeader = decodeJson(protectedB64, 'header');
  if (protectedHeader.typ !== 'dpop+jwt') throw invalidDpopProof('DPoP proof typ must be dpop+jwt.');
  if (protectedHeader.alg !== 'ES256') throw invalidDpopProof('DPoP proof alg must be ES256.');
  const jwk = parseJwk(protectedHeader.jwk);

  const signature = Buffer.from(signatureB64, 'base64url');
  if (signature.length !== 64) throw invalidDpopProof('DPoP proof signature has the wrong length.');
  const signed = Buffer.from(`${protectedB64}.${payloadB64}`);
  if (!verify('sha256', signed, { key: publicKeyOf(jwk), dsaEncoding: 'ieee-p1363' }, signature)) {
    throw invalidDpopProof('DPoP proof signature does not verify.');
  }

  const claims = decodeJson(payloadB64, 'payload');
  if (typeof claims.jti !== 'string' || !JTI_PATTERN.test(claims.jti)) throw invalidDpopProof('DPoP proof jti is missing or malformed.');
  if (claims.htm !== options.htm) throw invalidDpopProof('DPoP proof htm does not match the request method.');
  const htu = typeof claims.htu === 'string' ? normalizeHtu(claims.htu) : undefined;
  if (!htu || !options.htu.some((allowed) => normalizeHtu(allowed) === htu)) {
    throw invalidDpopProof('DPoP proof htu does not match this endpoint.');
  }
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) throw invalidDpopProof('DPoP proof iat is missing.');
  const age = options.now - claims.iat;
  if (age > (options.maxAgeSeconds ?? DPOP_MAX_AGE_SECONDS)) throw invalidDpopProof('DPoP proof is too old.');
  if (-age > (options.maxFutureSeconds ?? DPOP_MAX_FUTURE_SECONDS)) throw invalidDpopProof('DPoP proof iat is in the future.');

  return { jkt: jwkThumbprint(jwk), jti: claims.jti, iat: Math.floor(claims.iat) } as VerifiedDpopProof;
}

/**
 * A new P-256 key for one login session's proofs. Made as DER and imported again, so that the key
 * object is not the one its key-generation job returned: on Node 20.20 a process hung for good
 * when a garbage collection inside that object's export({ format: 'jwk' }) destroyed the job
 * (gdb: ExportJWKEcKey → GC → ~KeyGenJob → uv_mutex_lock, a lock the export already held).
 */
export function newDpopKey(): KeyObject {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' });
}

/** The client side: a proof for one request, signed with the login session's key. */
export function createDpopProof(input: {
  privateKey: KeyObject;
  htm: string;
  htu: string;
  /** Seconds since the epoch. */
  now: number;
  jti?: string;
}): string {
  const full = input.privateKey.export({ format: 'jwk' });
  const jwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: full.x as string, y: full.y as string };
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk })).toString('base64url');
  const htu = normalizeHtu(input.htu) ?? input.htu;
  const payload = Buffer.from(
    JSON.stringify({ jti: input.jti ?? randomUUID(), htm: input.htm, htu, iat: Math.floor(input.now) }),
  ).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: input.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}
