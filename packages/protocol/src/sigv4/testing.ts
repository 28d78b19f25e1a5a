// Test helpers: the official signer (@smithy/signature-v4, what @aws-sdk/client-sts signs with)
// as an oracle, and the conversions between its request shape and the wire. Tests only.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestHeaders } from './canonical-request.ts';
import type { SigV4Request } from './verify.ts';

/** The official test suite's credential, region, service and instant. */
export const SUITE = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'service',
  date: new Date('2015-08-30T12:36:00Z'),
} as const;

/** The SDK's `Checksum` over node:crypto (HMAC when given a secret), so the oracle needs no other package. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac('sha256', key);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
}

export interface OracleOptions {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly region?: string;
  readonly service?: string;
  /** false for S3, as the S3 client configures it. */
  readonly uriEscapePath?: boolean;
  /** Adds x-amz-content-sha256, as every @aws-sdk client does (the suite's vectors do not). */
  readonly applyChecksum?: boolean;
}

export function oracle(options: OracleOptions = {}): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? SUITE.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? SUITE.secretAccessKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    region: options.region ?? SUITE.region,
    service: options.service ?? SUITE.service,
    sha256: NodeSha256,
    uriEscapePath: options.uriEscapePath ?? true,
    applyChecksum: options.applyChecksum ?? true,
  });
}

/** The request shape the SDK's signer takes: decoded query, one string per header. */
export interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string;
}

/** A wire request as a vector file records it: headers in order, repeats allowed. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

/** Decodes with WHATWG URLSearchParams, independently of the code under test. */
export function sdkRequestOf(wire: WireRequest): SdkRequest {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(wire.query)) {
    const prior = query[name];
    query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  // The SDK's signer takes one string per header; repeats are the comma-joined trimmed values.
  const grouped = new Map<string, string[]>();
  for (const [name, value] of wire.headers) grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value.trim()]);
  const headers = Object.fromEntries([...grouped].map(([name, values]) => [name, values.join(',')]));
  return {
    method: wire.method,
    protocol: 'https:',
    hostname: headers.host ?? 'example.amazonaws.com',
    path: wire.path,
    query,
    headers,
    ...(wire.body === '' ? {} : { body: wire.body }),
  };
}

const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** How the SDK's HTTP handlers put a query on the wire (@smithy querystring-builder). */
export function wireQueryOf(query: Record<string, string | string[] | null | undefined>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? value : [value]) parts.push(`${escapeUri(name)}=${escapeUri(one)}`);
  }
  return parts.join('&');
}

/** A request as tests build it: headers by name, so a test can read and change one. */
export type ReceivedRequest = SigV4Request & { readonly headers: RequestHeaders };

/** The request a server would receive for what the SDK signed or presigned. */
export function receivedRequestOf(signed: {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}): ReceivedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    path: signed.path,
    query: wireQueryOf(signed.query ?? {}),
    headers,
    body: Buffer.from(typeof signed.body === 'string' ? signed.body : ''),
  };
}

/** Wire headers as `req.headersDistinct` gives them. */
export function distinctHeaders(headers: readonly (readonly [string, string])[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return out;
}
