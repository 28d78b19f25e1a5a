// The `keyless` binary as npm installs it, outside the monorepo: packages/keyless/bin finds the two
// bundles through their packages' `exports`, whether npm hoisted @keyless/cli and @keyless/server
// beside the `keyless` package or nested them inside it. Each layout is copied from the built
// packages into a temporary directory (the server's own dependencies linked in, as npm would have
// installed them), and the client and the server half are each run through the binary.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { ensureBuilt, REPO } from './support/build.ts';
import { cleanEnv, cleanUp, e2eTest, startProcess } from './support/processes.ts';
import { makeTempDir } from './support/tmp.ts';

const packageJson = (name: string) => JSON.parse(readFileSync(join(REPO, 'packages', name, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

/** node_modules with `keyless` and, at `depsAt` (relative to it), the @keyless packages it needs. */
function install(layout: { depsAt: string; server: boolean }): string {
  const root = makeTempDir('published');
  const modules = join(root, 'node_modules');
  const copy = (from: string, to: string, parts: string[]) => {
    mkdirSync(to, { recursive: true });
    for (const part of parts) cpSync(join(REPO, 'packages', from, part), join(to, part), { recursive: true });
  };
  copy('keyless', join(modules, 'keyless'), ['package.json', 'bin']);
  const deps = join(modules, layout.depsAt);
  copy('cli', join(deps, '@keyless/cli'), ['package.json', 'dist']);
  if (layout.server) {
    copy('server', join(deps, '@keyless/server'), ['package.json', 'dist']);
    // The server bundle keeps its npm dependencies external: link the monorepo's installed ones.
    for (const name of Object.keys(packageJson('server').dependencies ?? {}).filter((dep) => !dep.startsWith('@keyless/'))) {
      mkdirSync(join(modules, name, '..'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), join(modules, name));
    }
  }
  return root;
}

async function keyless(root: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = startProcess(`keyless ${args[0]}`, [join(root, 'node_modules/keyless/bin/keyless.cjs'), ...args], { env: cleanEnv({ HOME: root }) });
  const exit = await proc.exited(20_000);
  return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
}

describe('the keyless binary in a published npm layout', () => {
  before(() => ensureBuilt());
  after(() => cleanUp());

  for (const [name, depsAt] of [['hoisted beside it', '.'], ['nested inside it', 'keyless/node_modules']] as const) {
    e2eTest(`@keyless/cli and @keyless/server ${name}: both halves run`, { timeout: 30_000 }, async () => {
      const root = install({ depsAt, server: true });
      const version = await keyless(root, ['--version']);
      assert.equal(version.code, 0, version.stderr);
      assert.equal(version.stdout.trim(), packageJson('cli').version);
      // credential-process's own CommonJS bundle, handing anything but the plain form to the full program.
      const help = await keyless(root, ['credential-process', '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: keyless credential-process/);
      const serve = await keyless(root, ['serve', '--help']);
      assert.equal(serve.code, 0, serve.stderr);
      assert.match(serve.stdout, /^Usage: keyless serve/);
    });
  }

  e2eTest('without @keyless/server the client runs, and serve says what is missing', { timeout: 30_000 }, async () => {
    const root = install({ depsAt: '.', server: false });
    assert.equal((await keyless(root, ['--version'])).code, 0);
    const serve = await keyless(root, ['serve']);
    assert.equal(serve.code, 2);
    assert.match(serve.stderr, /^keyless: keyless serve needs the Keyless server \(@keyless\/server\): @keyless\/server\/dist\/main\.mjs is missing/);
  });
});
