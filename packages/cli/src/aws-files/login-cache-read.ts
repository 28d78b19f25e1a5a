// Finding and reading a login cache file (PROTOCOL.md §3) on the `credential-process` path, which
// runs before every AWS CLI call. Nothing here may load node:crypto (seventeen modules, a large
// share of that command's start-up): the file name is hashed by sha256.ts (login-cache-read.test.ts
// holds it to the protocol's cacheFileName), and the file is checked by the protocol's
// parseLoginCacheFile, imported from its own module, which imports nothing.
import { join } from 'node:path';
import { parseLoginCacheFile, type LoginCacheFile } from '@keyless/protocol/cache-file';
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
    return parseLoginCacheFile(text);
  } catch (error) {
    throw new CliError('CACHE_FILE_INVALID', `The login cache file ${path} is damaged (${(error as Error).message}). Run \`keyless login\` again.`, 1, { cause: error });
  }
}
