// `keyless credential-process`, bundled on its own as CommonJS (dist/credential-process.cjs): Node
// starts a CommonJS entry without initialising its ES module loader, which costs ~10 ms — a third
// of `node -e 0` on the development machine (bench/cli-startup.md) — before every AWS CLI call.
// Only the plain form `credential-process [--profile P]` runs here; anything else (--help, a typo)
// goes to the full program in dist/keyless.mjs, which gives commander's messages.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as credentialProcess from './commands/credential-process.ts';
import { parseFastPath } from './fast-path.ts';
import { runCommand } from './run-command.ts';

const fast = parseFastPath(process.argv.slice(2));
if (fast) void runCommand(async () => credentialProcess, fast.options, { directOutput: true });
else void import(pathToFileURL(join(__dirname, 'keyless.mjs')).href);
