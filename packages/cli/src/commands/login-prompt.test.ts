// The region prompt of `keyless login` as a person meets it: the real binary on a pseudo-terminal
// (util-linux `script`), keys typed into it. Typed text that matches no region never selects one
// (`moon-1` once jumped to me-central-1 and was saved); a region missing from the list can be typed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCliBundle, KEYLESS_BIN } from '../testing/cli-bundle.ts';
import { startFakeSigninServer, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { followAuthorizeRedirect, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';

const SCRIPT = '/usr/bin/script';
const skip = existsSync(SCRIPT) ? false : 'needs util-linux script(1) for a pseudo-terminal';

let signin: FakeSigninServer;
before(async () => {
  await buildCliBundle();
  signin = await startFakeSigninServer({ now: () => Date.now() / 1000 });
});
after(() => signin?.close());

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** `keyless login` on a terminal of its own: `keys()` types, `until()` waits for text on the screen. */
function onTerminal(home: string, args: string[]) {
  const command = [process.execPath, KEYLESS_BIN, ...args].map(quote).join(' ');
  const child: ChildProcessWithoutNullStreams = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color' } });
  let screen = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((screen += chunk), waiters.forEach((check) => check())));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    screen: () => plain(screen),
    keys: (text: string) => void child.stdin.write(text),
    until: (pattern: RegExp, timeoutMs = 20_000) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`no ${pattern} on the terminal:\n${plain(screen)}`))), timeoutMs);
        const check = () => {
          const match = plain(screen).match(pattern);
          if (match) (clearTimeout(timer), waiters.delete(check), resolve(match));
        };
        waiters.add(check);
        check();
      }),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

const login = () => ['login', '--profile', 'dev', '--endpoint-url', signin.baseUrl, '--no-browser'];

describe('keyless login: the region prompt on a terminal', { skip }, () => {
  it('text that matches no region selects none: Enter does nothing, the error says why; Ctrl-C then cancels', () =>
    withTempHome(async (home) => {
      const term = onTerminal(home, login());
      try {
        await term.until(/AWS region/);
        term.keys('moon-1');
        await term.until(/"moon-1" is not a region name/);
        term.keys('\r');
        await new Promise((resolve) => setTimeout(resolve, 700));
        assert.doesNotMatch(term.screen(), /✔|Signing in to|me-central-1/);
        term.keys('\x03');
        assert.equal(await term.exited, ExitCode.Cancelled, term.screen());
        assert.match(term.screen(), /keyless: Cancelled; nothing was saved\./);
        assert.equal(existsSync(join(home, '.aws')), false);
      } finally {
        term.kill();
      }
    }));

  it('a region missing from the list can be typed: taken with a one-line warning, and saved', () =>
    withTempHome(async (home) => {
      const term = onTerminal(home, login());
      try {
        await term.until(/AWS region/);
        term.keys('xx-future-9');
        await term.until(/xx-future-9 +\(not in the list: use it as typed\)/);
        term.keys('\r');
        await term.until(/warning: xx-future-9 \(typed\) is not a region Keyless knows; using it as given/);
        const [url] = await term.until(/http:\/\/127\.0\.0\.1:\d+\/v1\/authorize\?\S+/);
        await followAuthorizeRedirect(url!);
        assert.equal(await term.exited, ExitCode.Ok, term.screen());
        assert.match(await readFile(join(home, '.aws', 'config'), 'utf8'), /^region = xx-future-9$/m);
      } finally {
        term.kill();
      }
    }));
});
