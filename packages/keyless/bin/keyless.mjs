#!/usr/bin/env node
// The published `keyless` command. `serve`, `admin` and `audit` belong to the server (native modules,
// a database driver); everything else is the client, which must start fast and load none of that.
// Both are imported only when needed, so the client bundle never contains the server.
// The bundles are found through their packages' `exports` (`@keyless/cli/dist/keyless.mjs`,
// `@keyless/server/dist/main.mjs`), so this works wherever npm put them: beside this package in
// node_modules, nested inside it, or as the workspace links of the monorepo. Node's CommonJS
// resolver is used for that because it honours `exports` on every Node 20 (import.meta.resolve
// needs 20.6) and costs a few file lookups; the bundle itself is then imported as ESM.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const command = process.argv[2];
const server = command === 'serve' || command === 'admin' || command === 'audit';
const specifier = server ? '@keyless/server/dist/main.mjs' : '@keyless/cli/dist/keyless.mjs';

let path;
try {
  path = createRequire(import.meta.url).resolve(specifier);
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND') throw error;
  const what = server ? `keyless ${command} needs the Keyless server (@keyless/server)` : 'the keyless client is not built';
  process.stderr.write(`keyless: ${what}: ${specifier} is missing. In a checkout, run \`npm run build\`.\n`);
  process.exitCode = 2;
}
if (path) await import(pathToFileURL(path).href);
