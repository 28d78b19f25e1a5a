// The `keyless` client commands. Start-up matters: `keyless credential-process` runs before every
// AWS CLI call. So this file only declares the commands; each command's module (and with it the
// browser opener, the prompts, the HTTP server...) is imported when that command runs.
// `keyless serve` / `keyless admin` live in the server package: packages/keyless/bin routes them.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createProcessContext, type CliContext } from './context.ts';
import { ExitCode, reportError } from './ui/errors.ts';

interface CommandModule<O> {
  run(options: O, ctx: CliContext): Promise<number>;
}

/** Loads the command's module on use, runs it with the process context, and turns errors into an exit status. */
function lazy<O extends object>(load: () => Promise<CommandModule<O>>) {
  return async (options: O): Promise<void> => {
    const ctx = createProcessContext();
    try {
      process.exitCode = await (await load()).run(options, ctx);
    } catch (error) {
      process.exitCode = reportError(error, ctx, { json: (options as { json?: unknown }).json === true });
    }
  };
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port number, 0-65535.');
  return n;
}

const profileOption = () => new Option('--profile <name>', 'the AWS profile (default: $AWS_PROFILE, else "default")');

const program = new Command('keyless')
  .description('Short-lived, rotating AWS credentials from a browser sign-in: a self-hostable `aws login`.')
  .version('0.1.0', '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('login')
  .description('Sign in with your browser and store rotating credentials for a profile.')
  .addOption(profileOption())
  .option('--region <region>', 'the region to sign in to (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile\'s region, else asked)')
  .option('--endpoint-url <url>', 'the sign-in endpoint, e.g. your Keyless server; saved in the profile\'s services section')
  .option('--redirect-port <port>', 'port of the local callback server on 127.0.0.1 (default: random)', port)
  .option('--no-browser', 'do not open a browser: print the sign-in URL only')
  .option('-y, --yes', 'replace a different login session in the profile without asking')
  .option('--json', 'print the result as one JSON object on stdout (human text goes to stderr)')
  .action(lazy(() => import('./commands/login.ts')));

program
  .command('logout')
  .description('Revoke the profile\'s session at the server and delete its cached credentials.')
  .addOption(profileOption())
  .option('--all', 'log out every cached login session, whatever the profile')
  .action(lazy(() => import('./commands/logout.ts')));

program
  .command('credential-process')
  .description('Print the profile\'s credentials for `credential_process` (refreshed when needed).')
  .addOption(profileOption())
  .action(lazy(() => import('./commands/credential-process.ts')));

program
  .command('export-credentials')
  .description('Print the profile\'s credentials as environment variables or credential_process JSON.')
  .addOption(profileOption())
  .addOption(
    new Option('--format <format>', 'output format').choices(['env', 'env-no-export', 'powershell', 'windows-cmd', 'process']).default('env'),
  )
  .action(lazy(() => import('./commands/export-credentials.ts')));

program
  .command('whoami')
  .description('Show who the profile\'s credentials belong to (STS GetCallerIdentity).')
  .addOption(profileOption())
  .option('--region <region>', 'the STS region')
  .option('--endpoint-url <url>', 'the STS endpoint')
  .option('--json', 'print the identity as JSON')
  .action(lazy(() => import('./commands/whoami.ts')));

program
  .command('serve-credentials')
  .description('Serve the profile\'s credentials on 127.0.0.1 as a container credentials endpoint.')
  .addOption(profileOption())
  .option('--port <port>', 'the port to listen on (default: random)', port)
  .action(lazy(() => import('./commands/serve-credentials.ts')));

program.addHelpText('after', '\nServer commands (with @keyless/server installed): keyless serve, keyless admin');

try {
  await program.parseAsync();
} catch (error) {
  // exitOverride: commander throws instead of exiting; --help and --version arrive here with 0.
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
}
