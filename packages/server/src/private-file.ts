// Files only the server's own user may read: the SQLite database (sealed secrets, digests of
// bearer secrets, identities) and the master key. Their directory is 0700 too, but a file's mode
// is what survives a copy, a backup, or a data dir someone opened up.
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';

const PRIVATE = 0o600;

/**
 * Narrows an existing file to 0600 (keeping only the owner's bits) when group or others have any;
 * does nothing when the file is absent. A file this user may open but not chmod (another owner) is
 * left as it is: refusing to start would not make it private either.
 */
export function narrowToPrivate(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode & PRIVATE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/** Creates the file empty and 0600 if it does not exist, else narrows its mode; so it is never wider. */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', PRIVATE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    narrowToPrivate(path);
  }
}
