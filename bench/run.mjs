// `npm run bench`: every benchmark, with its defaults. Flags are passed through to each
// (today only the token refresh benchmark; see bench/README.md).
import { parseRefreshArgs, runRefreshBenchmark } from './refresh.mjs';

await runRefreshBenchmark(parseRefreshArgs(process.argv.slice(2)));
