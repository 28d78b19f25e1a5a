// The server's command line: `keyless serve` and `keyless admin …` (dispatched here by the
// `keyless` binary, so the client CLI never loads the server).
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from './config/config.ts';
import { AdminError } from './directory/directory-admin.ts';
import { registerAdmin } from './commands/admin.ts';
import { registerAudit } from './commands/audit.ts';
import { serve } from './commands/serve.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is 0–65535');
  return n;
};

export async function main(argv: string[]): Promise<void> {
  const program = new Command('keyless').showHelpAfterError();
  program
    .command('serve')
    .description('run the sign-in service (SQLite in the data directory unless KEYLESS_DATABASE_URL is set)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, KEYLESS_HOST)')
    .option('--port <port>', 'port (default 4466, KEYLESS_PORT)', port)
    .option('--public-url <url>', 'the URL clients use (default http://HOST:PORT, KEYLESS_PUBLIC_URL)')
    .option('--data-dir <dir>', 'data directory (default ~/.keyless, KEYLESS_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… or sqlite:FILE (KEYLESS_DATABASE_URL)')
    .option('--workers <n>', 'HTTP worker processes (KEYLESS_WORKERS)', (v) => Number(v))
    .action((o) => serve(o, process.env));
  registerAdmin(program, { env: process.env, readStdin, out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
  registerAudit(program, { env: process.env, out: (text) => process.stdout.write(text), interrupted: () => new Promise((resolve) => process.once('SIGINT', () => resolve())) });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof AdminError || error instanceof ConfigError) {
      process.stderr.write(`keyless: ${error.message}\n`);
      process.exit(1);
    }
    if (process.env.KEYLESS_DEBUG) throw error;
    process.stderr.write(`keyless: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

await main(process.argv);
