import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileLockTimeoutError, isProcessAlive, withFileLock } from './file-lock.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyless-lock-'));
});
after(() => rm(dir, { recursive: true, force: true }));

let n = 0;
const freshLockPath = () => join(dir, `cache-${++n}.json.lock`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pid that no longer runs: a child that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0 && !isProcessAlive(pid), 'the child has exited');
  return pid;
}

const lockContent = (owner: { pid: number; host?: string; createdAt?: number }) =>
  JSON.stringify({ pid: owner.pid, host: owner.host ?? hostname(), nonce: 'n-of-someone-else', createdAt: owner.createdAt ?? Date.now() });

describe('withFileLock', () => {
  it('lets one holder in at a time, and removes the lock file after each', async () => {
    const path = freshLockPath();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withFileLock(path, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(2);
          order.push(i);
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
    assert.equal(order.length, 20);
    assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith(`cache-${n}.`)), []);
  });

  it('releases the lock when the critical section throws', async () => {
    const path = freshLockPath();
    await assert.rejects(withFileLock(path, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await withFileLock(path, async () => 'again', { timeoutMs: 200 }), 'again');
  });

  it('writes pid, host, a nonce and the time into the lock, 0600', async () => {
    const path = freshLockPath();
    await withFileLock(path, async () => {
      const owner = JSON.parse(await readFile(path, 'utf8'));
      assert.equal(owner.pid, process.pid);
      assert.equal(owner.host, hostname());
      assert.match(owner.nonce, /^[0-9a-f]{24}$/);
      assert.ok(Math.abs(owner.createdAt - Date.now()) < 5_000);
      if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600);
    });
  });

  it('breaks a lock whose owner pid is dead, at once', async () => {
    const path = freshLockPath();
    await writeFile(path, lockContent({ pid: deadPid() }));
    const started = Date.now();
    assert.equal(await withFileLock(path, async () => 'mine', { timeoutMs: 2_000 }), 'mine');
    assert.ok(Date.now() - started < 1_000, 'no waiting for the age limit');
    await assert.rejects(readFile(path), { code: 'ENOENT' });
  });

  it('breaks a lock of a live process once it is older than staleMs (a hung holder)', async () => {
    const path = freshLockPath();
    const old = Date.now() - 120_000;
    await writeFile(path, lockContent({ pid: process.pid, createdAt: old }));
    await utimes(path, old / 1000, old / 1000);
    assert.equal(await withFileLock(path, async () => 'mine', { timeoutMs: 2_000, staleMs: 60_000 }), 'mine');
  });

  it('breaks an unreadable lock by its mtime only', async () => {
    const fresh = freshLockPath();
    await writeFile(fresh, '');
    await assert.rejects(withFileLock(fresh, async () => 'never', { timeoutMs: 150 }), FileLockTimeoutError);
    assert.equal(await readFile(fresh, 'utf8'), '', 'an owner still writing its lock is left alone');

    const old = freshLockPath();
    await writeFile(old, 'garbage');
    await utimes(old, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    assert.equal(await withFileLock(old, async () => 'mine', { timeoutMs: 2_000 }), 'mine');
  });

  it('waits for a live holder, then gives up with FileLockTimeoutError, leaving its lock alone', async () => {
    const path = freshLockPath();
    const theirs = lockContent({ pid: process.pid });
    await writeFile(path, theirs);
    let ran = false;
    await assert.rejects(
      withFileLock(path, async () => (ran = true), { timeoutMs: 200 }),
      (error: unknown) => error instanceof FileLockTimeoutError && error.lockPath === path && error.waitedMs >= 200,
    );
    assert.equal(ran, false);
    assert.equal(await readFile(path, 'utf8'), theirs);
  });

  it('trusts a pid only on its own host: elsewhere a fresh lock stands', async () => {
    const path = freshLockPath();
    await writeFile(path, lockContent({ pid: deadPid(), host: 'another-machine' }));
    await assert.rejects(withFileLock(path, async () => 'never', { timeoutMs: 150 }), FileLockTimeoutError);
  });

  it('stops waiting when settledWhileWaiting answers, without running the critical section', async () => {
    const path = freshLockPath();
    await writeFile(path, lockContent({ pid: process.pid }));
    let asked = 0;
    const result = await withFileLock(path, async () => 'critical', {
      timeoutMs: 5_000,
      settledWhileWaiting: async () => (++asked >= 3 ? 'settled' : undefined),
    });
    assert.equal(result, 'settled');
    assert.equal(asked, 3);
  });

  it('takes the lock as soon as the holder releases it', async () => {
    const path = freshLockPath();
    await writeFile(path, lockContent({ pid: process.pid }));
    setTimeout(() => void rm(path), 100);
    const started = Date.now();
    assert.equal(await withFileLock(path, async () => 'mine', { timeoutMs: 5_000 }), 'mine');
    assert.ok(Date.now() - started < 1_000);
  });

  it('on release, never deletes a lock that is no longer its own', async () => {
    const path = freshLockPath();
    const successor = lockContent({ pid: process.pid });
    await withFileLock(path, async () => {
      // As if we had been judged hung, our lock broken and retaken by another process.
      await rm(path);
      await writeFile(path, successor);
    });
    assert.equal(await readFile(path, 'utf8'), successor);
    assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.guard')), [], 'no guard file left behind');
  });

  it('does not remove a live lock that replaced the stale one it looked at', async () => {
    const path = freshLockPath();
    const dead = deadPid();
    await writeFile(path, lockContent({ pid: dead }));
    const successor = lockContent({ pid: process.pid });
    let ran = false;
    await assert.rejects(
      withFileLock(path, async () => (ran = true), {
        timeoutMs: 300,
        // Asked while judging the dead owner's lock: just then another process breaks it and takes the lock.
        isProcessAlive: (pid) => {
          if (pid !== dead) return true;
          if (readFileSync(path, 'utf8') !== successor) writeFileSync(path, successor);
          return false;
        },
      }),
      FileLockTimeoutError,
    );
    assert.equal(ran, false);
    assert.equal(await readFile(path, 'utf8'), successor);
  });

  it('lets exactly one of several breakers win a stale lock', async () => {
    // The race to lose: B sees the stale lock, A breaks it and takes the lock, then B "breaks" A's.
    // It needs a particular interleaving, so try it a few times.
    const dead = deadPid();
    for (let round = 0; round < 8; round++) {
      const path = freshLockPath();
      await writeFile(path, lockContent({ pid: dead }));
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 10 }, () =>
          withFileLock(
            path,
            async () => {
              inside++;
              most = Math.max(most, inside);
              await sleep(5);
              inside--;
            },
            { timeoutMs: 5_000 },
          ),
        ),
      );
      assert.equal(most, 1, `round ${round}`);
    }
  });
});
