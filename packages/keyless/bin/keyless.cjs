#!/usr/bin/env node
// The published `keyless` command. `serve`, `admin` and `audit` belong to the server (native modules,
// a database driver); everything else is the client, which must start fast and load none of that.
// Both are loaded only when needed, so the client bundle never contains the server.
//
// CommonJS on purpose: `keyless credential-process` runs before every AWS CLI call, and a CommonJS
// entry that requires a CommonJS bundle (dist/credential-process.cjs) never starts Node's ES module
// loader, ~10 ms of a ~35 ms `node -e 0` (bench/cli-startup.md). Every other command imports its
// ES module bundle.
//
// The bundles belong to @keyless/cli and @keyless/server, whose `exports` name them. Resolving a
// package by name costs Node 2–4 ms, so the two places it is found in practice are looked at first:
// beside this package, where npm installs it (node_modules/@keyless/cli), and the monorepo's
// packages/cli (this file's real path is packages/keyless/bin). Anywhere else (a nested or another
// package manager's layout) the package is resolved by name.
'use strict';
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const command = process.argv[2];
const server = command === 'serve' || command === 'admin' || command === 'audit';
const [dir, bundle] = server ? ['server', 'dist/main.mjs'] : ['cli', command === 'credential-process' ? 'dist/credential-process.cjs' : 'dist/keyless.mjs'];
const specifier = `@keyless/${dir}/${bundle}`;
const entry = [join(__dirname, '../../@keyless', dir, bundle), join(__dirname, '../..', dir, bundle)].find((path) => statSync(path, { throwIfNoEntry: false })?.isFile()) ?? resolve();

if (entry === undefined) {
  const what = server ? `keyless ${command} needs the Keyless server (@keyless/server)` : 'the keyless client is not built';
  process.stderr.write(`keyless: ${what}: ${specifier} is missing. In a checkout, run \`npm run build\`.\n`);
  process.exitCode = 2;
} else if (entry.endsWith('.cjs')) {
  require(entry);
} else {
  // A failure inside the bundle is the bundle's to report; an unhandled rejection prints it and exits 1.
  import(pathToFileURL(entry).href);
}

function resolve() {
  try {
    return require.resolve(specifier);
  } catch (error) {
    if (error?.code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
