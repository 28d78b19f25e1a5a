// Node built-ins for the `credential-process` path, loaded with require() rather than `import`.
// An ESM import of a built-in copies every one of its exports, lazy getters included: `import {
// readFile } from 'node:fs'` thereby loads Node's whole stream stack (for fs.ReadStream), and
// `node:tty` brings `net`. require() hands back the module object and loads nothing more.
// Measured on the 2-core development machine: milliseconds per run, against a budget of half of
// `node -e 0` (bench/cli-startup.mjs).
import { createRequire } from 'node:module';

// The CommonJS bundle (dist/credential-process.cjs) has a require of its own; ES modules make one.
const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);

export const nodeFs = (): typeof import('node:fs') => load('node:fs');
export const nodeTty = (): typeof import('node:tty') => load('node:tty');
export const nodeReadline = (): typeof import('node:readline') => load('node:readline');
