// The `keyless` client entry. Start-up matters: `keyless credential-process` runs before every
// AWS CLI call, so it skips commander (fast-path.ts) and every command module is imported only
// when that command runs. `keyless serve` / `keyless admin` live in the server package:
// packages/keyless/bin routes them there.
import { parseFastPath } from './fast-path.ts';
import { runCommand } from './run-command.ts';
import { ExitCode } from './ui/errors.ts';

const fast = parseFastPath(process.argv.slice(2));
if (fast) {
  await runCommand(() => import('./commands/credential-process.ts'), fast.options, { directOutput: true });
} else {
  const [{ CommanderError }, { buildProgram }] = await Promise.all([import('commander'), import('./program.ts')]);
  try {
    await buildProgram().parseAsync();
  } catch (error) {
    // --help and --version arrive here with exit code 0; usage errors get 2.
    if (!(error instanceof CommanderError)) throw error;
    process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
}
