#!/usr/bin/env node
// The published `keyless` command. `serve`, `admin` and `audit` belong to the server (native modules,
// a database driver); everything else is the client, which must start fast and load none of that.
// Both are imported only when needed, so the client bundle never contains the server.
const command = process.argv[2];
const entry = command === 'serve' || command === 'admin' || command === 'audit' ? '../../server/dist/main.mjs' : '../../cli/dist/keyless.mjs';
const url = new URL(entry, import.meta.url);

try {
  await import(url.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(url.pathname)) throw error;
  const what = entry.includes('server') ? `keyless ${command} needs the Keyless server (@keyless/server)` : 'the keyless client is not built';
  process.stderr.write(`keyless: ${what}: ${url.pathname} is missing. In a checkout, run \`npm run build\`.\n`);
  process.exitCode = 2;
}
