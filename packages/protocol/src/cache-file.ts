// The login cache file the AWS CLI and SDKs share (PROTOCOL.md §3), and the credential_process
// output made from it. This module imports nothing: `keyless credential-process` runs before every
// AWS CLI call and loads it directly (`@keyless/protocol/cache-file`), and node:crypto alone would
// cost that command more start-up time than all its own work. The file's name, a SHA-256, is in
// cache-file-name.ts.

export interface LoginCacheFile {
  accessToken: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    accountId: string;
    /** ISO-8601, UTC, second precision. */
    expiresAt: string;
  };
  tokenType: 'aws_sigv4';
  clientId: string;
  refreshToken: string;
  idToken?: string;
  /** PEM: SEC1 `EC PRIVATE KEY` when Keyless writes it; PKCS#8 `PRIVATE KEY` accepted when reading. */
  dpopKey: string;
  signInRegion?: string;
}

/** ISO-8601 without milliseconds, the way the SDKs write `expiresAt`. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Parses a cache file, checking the members the JS SDK requires. Throws a plain Error naming what is wrong. */
export function parseLoginCacheFile(text: string): LoginCacheFile {
  const value = JSON.parse(text) as Partial<LoginCacheFile> | null;
  if (!value || typeof value !== 'object') throw new Error('the cache file is not a JSON object');
  const token = value.accessToken;
  if (!token || typeof token !== 'object') throw new Error('the cache file has no accessToken');
  for (const key of ['accessKeyId', 'secretAccessKey', 'sessionToken', 'accountId', 'expiresAt'] as const) {
    if (typeof token[key] !== 'string') throw new Error(`the cache file has no accessToken.${key}`);
  }
  for (const key of ['clientId', 'refreshToken', 'dpopKey'] as const) {
    if (typeof value[key] !== 'string') throw new Error(`the cache file has no ${key}`);
  }
  return value as LoginCacheFile;
}

/** `credential_process` output, version 1 (PROTOCOL.md §3). */
export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export const toProcessCredentials = (cache: LoginCacheFile): ProcessCredentials => ({
  Version: 1,
  AccessKeyId: cache.accessToken.accessKeyId,
  SecretAccessKey: cache.accessToken.secretAccessKey,
  SessionToken: cache.accessToken.sessionToken,
  Expiration: cache.accessToken.expiresAt,
});
