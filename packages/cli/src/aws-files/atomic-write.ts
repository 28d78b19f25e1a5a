// Atomic file replacement: readers (the AWS CLI, SDKs, another keyless process) see the old file
// or the new one, never half of one. Write a temp file in the same directory (same filesystem, so
// rename is atomic), fsync it, rename it over the target, fsync the directory.
// PROTOCOL.md §3: Keyless writes the cache file 0600 and atomically, unlike the SDK.
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Mode of a new file, and of an existing one unless `keepMode`. Default 0600. */
  mode?: number;
  /** Keep an existing file's permission bits (the config file: the user may have chosen 0644). */
  keepMode?: boolean;
  /** Mode for directories we create. Default 0700. */
  dirMode?: number;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  // Write next to the real file, so a symlinked ~/.aws/config (dotfile managers) stays a symlink.
  const target = await realpath(path).catch(() => path);
  const dir = dirname(target);
  await mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });

  let mode = options.mode ?? 0o600;
  if (options.keepMode) {
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isFile()) mode = existing.mode & 0o777;
  }

  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      // The umask may have narrowed the mode given to open(); set exactly what we mean.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename durable. Not possible on Windows, where opening a directory fails: skip there. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    /* some filesystems refuse fsync on directories; the data itself is already synced */
  } finally {
    await handle.close();
  }
}
