// The login cache file's name (PROTOCOL.md §3). Apart from cache-file.ts because it hashes with
// node:crypto, which the credential-process path must not load (the CLI names files with its own
// aws-files/sha256.ts, and login-cache-read.test.ts holds the two to the same names).
import { sha256Hex } from './encoding.ts';

/** `{sha256_hex(login_session)}.json`. */
export const cacheFileName = (loginSession: string): string => `${sha256Hex(loginSession)}.json`;
