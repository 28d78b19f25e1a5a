// Finding and reading a login cache file (PROTOCOL.md §3) on the `credential-process` path, which
// runs before every AWS CLI call. Nothing here may load node:crypto (seventeen modules, a large
// share of that command's start-up): the file name is hashed by sha256.ts, and the file is checked
// here rather than by the protocol's parseLoginCacheFile, whose module imports node:crypto to name
// files. login-cache-read.test.ts holds both pairs to the protocol's answers.
import { join } from 'node:path';
import type { LoginCacheFile } from '@keyless/protocol';
import { CliError } from '../ui/errors.ts';
import { readTextFile } from './read-text.ts';
import { sha256Hex } from './sha256.ts';

/** `{cacheDir}/{sha256_hex(login_session)}.json`, the protocol's `cacheFileName`. */
export const loginCachePath = (cacheDir: string, loginSession: string): string => join(cacheDir, `${sha256Hex(loginSession)}.json`);

/** The parsed cache file, or undefined when there is none. A damaged file is a CliError naming it. */
export async function readLoginCache(path: string): Promise<LoginCacheFile | undefined> {
  const text = await readTextFile(path);
  if (text === undefined) return undefined;
  try {
    return parseLoginCacheText(text);
  } catch (error) {
    throw new CliError('CACHE_FILE_INVALID', `The login cache file ${path} is damaged (${(error as Error).message}). Run \`keyless login\` again.`, 1, { cause: error });
  }
}

/** The protocol's parseLoginCacheFile: the members the JS SDK requires, as strings. */
export function parseLoginCacheText(text: string): LoginCacheFile {
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
