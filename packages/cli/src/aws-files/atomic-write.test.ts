import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeFileAtomic } from './atomic-write.ts';

const posix = process.platform !== 'win32';
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyless-atomic-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates missing directories 0700 and the file 0600, whatever the umask', { skip: !posix }, async () => {
    const previous = process.umask(0o000);
    try {
      const path = join(dir, 'new', 'deeper', 'cache.json');
      await writeFileAtomic(path, '{"a":1}');
      assert.equal(await readFile(path, 'utf8'), '{"a":1}');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir, 'new'))).mode & 0o777, 0o700);
      assert.equal((await stat(join(dir, 'new', 'deeper'))).mode & 0o777, 0o700);
    } finally {
      process.umask(previous);
    }
  });

  it('replaces an existing file, narrowing it to 0600 by default', { skip: !posix }, async () => {
    const path = join(dir, 'replace.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new');
    assert.equal(await readFile(path, 'utf8'), 'new');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('keeps the mode of an existing file with keepMode (the user\'s config)', { skip: !posix }, async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'old');
    await chmod(path, 0o640);
    await writeFileAtomic(path, 'new', { keepMode: true });
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    // ... and creates a new one 0600.
    const fresh = join(dir, 'config-new');
    await writeFileAtomic(fresh, 'x', { keepMode: true });
    assert.equal((await stat(fresh)).mode & 0o777, 0o600);
  });

  it('replaces by rename: a reader holding the old file keeps the old content (new inode)', async () => {
    const path = join(dir, 'inode.json');
    await writeFile(path, 'old');
    const oldInode = (await stat(path)).ino;
    await writeFileAtomic(path, 'new');
    assert.notEqual((await stat(path)).ino, oldInode);
    assert.equal(await readFile(path, 'utf8'), 'new');
  });

  it('removes its temp file when the write fails, and leaves the target alone', async () => {
    const sub = join(dir, 'failing');
    // The target is a non-empty directory: rename() over it fails after the temp file was written.
    const target = join(sub, 'target');
    await mkdir(join(target, 'inside'), { recursive: true });
    await assert.rejects(writeFileAtomic(target, 'data'));
    assert.deepEqual(await readdir(sub), ['target']);
    assert.deepEqual(await readdir(target), ['inside']);
  });

  it('writes through a symlink, so a linked ~/.aws/config stays a link', { skip: !posix }, async () => {
    const real = join(dir, 'dotfiles-config');
    const link = join(dir, 'linked-config');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new', { keepMode: true });
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal(await readFile(real, 'utf8'), 'new');
  });

  it('leaves no temp files behind after many concurrent writes, and one complete write wins', async () => {
    const path = join(dir, 'race.json');
    const payloads = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(10_000) }));
    await Promise.all(payloads.map((p) => writeFileAtomic(path, p)));
    assert.ok(payloads.includes(await readFile(path, 'utf8')));
    assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
  });
});
