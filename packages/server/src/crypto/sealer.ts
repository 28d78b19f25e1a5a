// Sealing of what must be recovered (credential secrets, retry responses, signing keys):
// AES-256-GCM with the key id and a purpose bound in as associated data (STYLE.md principle 6).
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { pooledRandomBytes } from './ids.ts';
import type { SealPurpose } from './seal-purposes.ts';

export interface Sealer {
  seal(plaintext: string, purpose: SealPurpose): string;
  /** Throws when the text was not sealed by this installation's key for this purpose. */
  open(sealed: string, purpose: SealPurpose): string;
}

/** `masterKey` is 32 bytes; its id is derived from it, so a sealed value names the key that sealed it. */
export function createSealer(masterKey: Buffer): Sealer {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  const keyId = createHash('sha256').update('keyless-master-key-id').update(masterKey).digest('base64url').slice(0, 8);
  const aad = (purpose: string) => Buffer.from(`keyless:v1:${keyId}:${purpose}`);
  return {
    seal(plaintext, purpose) {
      const iv = pooledRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv).setAAD(aad(purpose));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${keyId}.${iv.toString('base64url')}.${Buffer.concat([body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed, purpose) {
      const [version, kid, ivText, bodyText] = sealed.split('.');
      if (version !== 'v1' || kid !== keyId || !ivText || !bodyText) throw new Error('sealed value is not for this key');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(ivText, 'base64url')).setAAD(aad(purpose));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}
