#!/usr/bin/env node
// The published `keyless` command. `serve`, `admin` and `audit` belong to the server (native modules,
// a database driver); everything else is the client, which must start fast and load none of that.
// Both are imported only when needed, so the client bundle never contains the server.
//
// The bundles belong to @keyless/cli and @keyless/server, whose `exports` name them
// (`@keyless/cli/dist/keyless.mjs`). Resolving a package by name costs Node 2–4 ms, a tenth of
// `keyless credential-process`'s budget, so the two places the package is found in practice are
// looked at first: beside this package, where npm installs it (node_modules/@keyless/cli), and the
// monorepo's packages/cli (this file's real path is packages/keyless/bin). Anywhere else (a nested
// or another package manager's layout) the package is resolved by name.
import { createRequire } from 'node:module';

const command = process.argv[2];
const server = command === 'serve' || command === 'admin' || command === 'audit';
const [dir, bundle] = server ? ['server', 'dist/main.mjs'] : ['cli', 'dist/keyless.mjs'];
const specifier = `@keyless/${dir}/${bundle}`;
// require() of a built-in hands back the loaded module; an ESM import would copy all of node:fs.
const { statSync } = createRequire(import.meta.url)('node:fs');
const beside = [`../../@keyless/${dir}/${bundle}`, `../../${dir}/${bundle}`].map((path) => new URL(path, import.meta.url));
const entry = beside.find((url) => statSync(url, { throwIfNoEntry: false })?.isFile())?.href ?? specifier;

try {
  await import(entry);
} catch (error) {
  // Only the bundle or its package missing, not a module missing inside the bundle (whose message
  // names the bundle as the importer, not this file).
  const self = decodeURIComponent(new URL(import.meta.url).pathname);
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).endsWith(`imported from ${self}`)) throw error;
  const what = server ? `keyless ${command} needs the Keyless server (@keyless/server)` : 'the keyless client is not built';
  process.stderr.write(`keyless: ${what}: ${specifier} is missing. In a checkout, run \`npm run build\`.\n`);
  process.exitCode = 2;
}
