// Small encoding helpers shared by both halves. Pure; node:crypto only for randomness and digests.
import { createHash, randomBytes } from 'node:crypto';

export const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
export const sha256Base64url = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('base64url');

/** A random URL-safe token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
