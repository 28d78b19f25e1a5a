// The commander program: every client command with its flags. Each command's module (and with
// it the browser opener, the prompts, the HTTP server...) is imported only when that command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXPORT_FORMATS } from './credentials/export-formats.ts';
import { runCommand, type CommandModule } from './run-command.ts';

const lazy =
  <O extends object>(load: () => Promise<CommandModule<O>>) =>
  (options: O): Promise<void> =>
    runCommand(load, options);

function port(value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port number, 0-65535.');
  return n;
}

const profileOption = () => new Option('--profile <name>', 'the AWS profile (default: $AWS_PROFILE, else "default")');

export function buildProgram(): Command {
  const program = new Command('keyless')
    .description('Short-lived, rotating AWS credentials from a browser sign-in: a self-hostable `aws login`.')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Throw instead of exiting: main.ts maps usage errors to exit status 2.
    .exitOverride();

  program
    .command('login')
    .description('Sign in with your browser and store rotating credentials for a profile.')
    .addOption(profileOption())
    .option('--region <region>', 'the region to sign in to (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile\'s region, else asked)')
    .option('--endpoint-url <url>', 'the sign-in endpoint, e.g. your Keyless server; saved in the profile\'s services section')
    .option('--redirect-port <port>', 'port of the local callback server on 127.0.0.1 (default: random)', port)
    .option('--no-browser', 'do not open a browser: print the sign-in URL only')
    .option('--remote', 'sign in on another device (SSH, containers): open the printed URL anywhere, then paste the verification code here')
    .option('-y, --yes', 'replace a different login session in the profile without asking')
    .option('--credential-process [profile]', 'also write a credential_process profile (default PROFILE-process) for tools that do not know login_session: AWS CLI v1, v2 before 2.32, boto3 without awscrt')
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
    .option('--endpoint-url <url>', 'the sign-in endpoint that refreshes them (default: $AWS_ENDPOINT_URL_SIGNIN, else the profile\'s services section)')
    .action(lazy(() => import('./commands/credential-process.ts')));

  program
    .command('export-credentials')
    .description('Print the profile\'s credentials as environment variables or credential_process JSON, like `aws configure export-credentials`.')
    .addOption(profileOption())
    // The same formats, and the same default, as `aws configure export-credentials`.
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('process'))
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
    .option('--host <address>', 'the address to listen on: 127.0.0.1, the only one allowed', '127.0.0.1')
    .option('--json', 'print the URL, token and variables as one JSON object on stdout')
    .action(lazy(() => import('./commands/serve-credentials.ts')));

  program.addHelpText('after', '\nServer commands (with @keyless/server installed): keyless serve, keyless admin');
  return program;
}
