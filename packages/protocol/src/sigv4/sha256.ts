// SHA-256 as SigV4 uses it (payload, canonical request, session token digests). `crypto.hash`
// (Node ≥ 20.12) digests in one call without a Hash object, about half the cost of createHash
// for inputs this short; older Node 20 releases, which the CLI still supports, get createHash.
import * as crypto from 'node:crypto';

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256(data: string | Uint8Array, encoding: 'hex' | 'base64'): string {
  return oneShot ? oneShot('sha256', data, encoding) : crypto.createHash('sha256').update(data).digest(encoding);
}

export function sha256Bytes(data: string | Uint8Array): Buffer {
  return oneShot ? oneShot('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest();
}
