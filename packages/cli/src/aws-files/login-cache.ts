// The login cache files the AWS CLI and SDKs share (PROTOCOL.md §3): one per login session,
// `{cacheDir}/{sha256_hex(login_session)}.json`, written 0600 and atomically.
// Finding and reading one is login-cache-read.ts, kept free of node:crypto for credential-process.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isoSeconds, type LoginCacheFile, type TokenResponse } from '@keyless/protocol';
import { writeFileAtomic } from './atomic-write.ts';

export { loginCachePath, readLoginCache } from './login-cache-read.ts';

/** The cache file as written after a code redemption. */
export function buildLoginCacheFile(input: {
  token: TokenResponse;
  accountId: string;
  clientId: string;
  dpopKey: KeyObject;
  /** When the token response arrived: `expiresAt` = now + expiresIn. */
  now: Date;
  signInRegion: string;
}): LoginCacheFile {
  const { token } = input;
  return {
    accessToken: {
      accessKeyId: token.accessToken.accessKeyId,
      secretAccessKey: token.accessToken.secretAccessKey,
      sessionToken: token.accessToken.sessionToken,
      accountId: input.accountId,
      expiresAt: isoSeconds(new Date(input.now.getTime() + token.expiresIn * 1000)),
    },
    tokenType: token.tokenType,
    clientId: input.clientId,
    refreshToken: token.refreshToken,
    ...(token.idToken === undefined ? {} : { idToken: token.idToken }),
    dpopKey: exportDpopKey(input.dpopKey),
    signInRegion: input.signInRegion,
  };
}

/** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`), what the AWS CLI writes and every SDK reads. */
export const exportDpopKey = (key: KeyObject): string => key.export({ type: 'sec1', format: 'pem' }).toString();

/** Reads a cache file's `dpopKey`: SEC1 or PKCS#8 PEM (PROTOCOL.md §3: readers accept both). */
export function importDpopKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the dpopKey is not a P-256 private key');
  }
  return key;
}

export async function writeLoginCache(path: string, cache: LoginCacheFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

/** Deletes a cache file; false when it was already gone. */
export async function deleteLoginCache(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export interface CacheDirEntry {
  path: string;
  /** The JSON content, not validated: `logout --all` must also clear half-written or foreign files it recognises. */
  content: Record<string, unknown>;
}

/**
 * The login cache files in `cacheDir`: `*.json` files that hold `accessToken.accessKeyId` (the
 * test `logout --all` uses, PROTOCOL.md §3). Other files, and files that do not parse, are skipped.
 */
export async function listLoginCacheFiles(cacheDir: string): Promise<CacheDirEntry[]> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = await Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .map(async (name): Promise<CacheDirEntry | undefined> => {
        const path = join(cacheDir, name);
        try {
          const content: unknown = JSON.parse(await readFile(path, 'utf8'));
          return holdsAccessKey(content) ? { path, content } : undefined;
        } catch {
          return undefined;
        }
      }),
  );
  return entries.filter((entry): entry is CacheDirEntry => entry !== undefined);
}

function holdsAccessKey(content: unknown): content is Record<string, unknown> {
  if (!content || typeof content !== 'object') return false;
  const token = (content as { accessToken?: unknown }).accessToken;
  return !!token && typeof token === 'object' && 'accessKeyId' in token;
}
