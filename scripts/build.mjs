// Bundles the CLI and the server into plain ESM files, so neither runs TypeScript at start-up.
// The CLI bundle must stay small and free of native modules: `credential-process` runs before
// every AWS CLI call. Heavy CLI commands are split into chunks loaded only when used.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const deps = (pkg) => Object.keys(JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8')).dependencies ?? {})
  .filter((name) => !name.startsWith('@keyless/'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  outExtension: { '.js': '.mjs' },
};

const only = process.argv[2]; // `cli` or `server` builds one half
await Promise.all([
  only !== 'server' && build({
    ...common,
    entryPoints: { keyless: 'packages/cli/src/main.ts' },
    outdir: 'packages/cli/dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Everything the CLI needs is bundled in, so start-up reads a handful of files, not hundreds.
    banner: { js: "import { createRequire as __kr } from 'node:module'; const require = __kr(import.meta.url);" },
  }),
  only !== 'cli' && build({
    ...common,
    entryPoints: { main: 'packages/server/src/main.ts' },
    outdir: 'packages/server/dist',
    external: deps('server'),
  }),
]);
