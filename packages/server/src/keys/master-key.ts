// The master key seals recoverable secrets and derives the CSRF key. Instances sharing one
// PostgreSQL database must share it (KEYLESS_MASTER_KEY); a single instance keeps it in a file.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { narrowToPrivate } from '../private-file.ts';

export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('KEYLESS_MASTER_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32).');
    return key;
  }
  const file = join(dataDir, 'master.key');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: two workers starting together cannot both create it; the loser reads the winner's key.
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    narrowToPrivate(file);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  return key;
}

/** Where the master key comes from, for messages: the variable, or the file in the data directory. */
export const masterKeySource = (configured: string | undefined, dataDir: string): string =>
  configured ? 'KEYLESS_MASTER_KEY' : `the key file ${join(dataDir, 'master.key')} (KEYLESS_MASTER_KEY is not set)`;

/** A key for one purpose, derived so that no two uses share key material. */
export const deriveKey = (masterKey: Buffer, purpose: string): Buffer => createHmac('sha256', masterKey).update(`keyless:${purpose}`).digest();
