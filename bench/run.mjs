// `npm run bench`: the token refresh benchmark (flags pass through to it; see bench/README.md),
// then GetCallerIdentity against its bare-route baseline. The others run on their own:
// bench/policy.mjs, bench/cli-startup.mjs, bench/audit-lookup.mjs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseRefreshArgs, runRefreshBenchmark } from './refresh.mjs';

await runRefreshBenchmark(parseRefreshArgs(process.argv.slice(2)));
spawnSync(process.execPath, [fileURLToPath(new URL('./sts.mjs', import.meta.url))], { stdio: 'inherit' });
