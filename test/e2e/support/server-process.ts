// A real `keyless serve` in a child process, on a free port, with its own data directory.
import { createServer } from 'node:net';
import { SERVER_BUNDLE } from './build.ts';
import { cleanEnv, runKeyless, startProcess, type Proc } from './processes.ts';
import { makeTempDir } from './tmp.ts';

export const ROOT_EMAIL = 'root@example.com';
export const ROOT_PASSWORD = 'e2e root passphrase 1';

export interface ServerProcess {
  /** `http://127.0.0.1:PORT`, as the server announced it. */
  url: string;
  port: number;
  dataDir: string;
  /** The bootstrap account. */
  accountId: string;
  proc: Proc;
  /** The environment `keyless admin` needs to reach this server's database. */
  adminEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's choice for port 0, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startServerProcess(options: { dataDir?: string } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? makeTempDir('data');
  const adminEnv = cleanEnv({ KEYLESS_DATA_DIR: dataDir });
  const env = { KEYLESS_DATA_DIR: dataDir, KEYLESS_BOOTSTRAP_EMAIL: ROOT_EMAIL, KEYLESS_BOOTSTRAP_PASSWORD: ROOT_PASSWORD, KEYLESS_LOG_LEVEL: 'info' };
  const { url, port, proc } = await startServe(env);
  try {
    const accountId = await onlyAccountId(adminEnv);
    return { url, port, dataDir, accountId, proc, adminEnv, stop: () => proc.stop() };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

export interface Serving {
  /** `http://127.0.0.1:PORT`, as the server announced it. */
  url: string;
  port: number;
  proc: Proc;
}

/**
 * `keyless serve` (the server bundle) on a free port, with `env` (KEYLESS_DATA_DIR, bootstrap,
 * database, ...) and nothing else of this process's KEYLESS_* and AWS_* settings; resolves once it
 * says it listens (within 30 s unless `timeoutMs` says otherwise: it migrates and bootstraps first).
 */
export async function startServe(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<Serving> {
  // Another process may take the port between freePort() and listen(): try again with another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = startProcess(`keyless serve :${port}`, [SERVER_BUNDLE, 'serve'], { env: cleanEnv({ ...env, KEYLESS_PORT: String(port) }) });
    try {
      const [, url] = await proc.waitFor('stderr', /Keyless is listening on (\S+)/, options.timeoutMs ?? 30_000);
      return { url: url!, port, proc };
    } catch (error) {
      await proc.stop();
      if (attempt >= 3 || !/EADDRINUSE/.test(proc.stderr() + proc.stdout())) throw error;
    }
  }
}

/** `keyless admin list-accounts --json`: the one account bootstrap created. */
export async function onlyAccountId(adminEnv: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await runKeyless(['admin', 'list-accounts', '--json'], { env: adminEnv });
  const accounts = stdout.trim().split('\n').map((line) => JSON.parse(line) as { accountId: string });
  if (accounts.length !== 1) throw new Error(`expected one account, got: ${stdout}`);
  return accounts[0]!.accountId;
}

export interface AdminTarget {
  accountId: string;
  adminEnv: NodeJS.ProcessEnv;
}

export interface CreatedUser {
  arn: string;
  userId: string;
  maxSessionSeconds: number;
}

/**
 * `keyless admin create-user … --json` with the password on stdin, and (unless `policies` says
 * otherwise) SignInLocalDevelopmentAccess attached, which `keyless login` needs (issue 4).
 */
export async function createUser(server: AdminTarget, input: { name: string; password: string; maxSessionDuration?: string; policies?: string[] }): Promise<CreatedUser> {
  const policies = input.policies ?? ['arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess'];
  const args = ['admin', 'create-user', '--account', server.accountId, '--name', input.name, '--password-stdin', '--json', ...policies.flatMap((arn) => ['--attach-policy', arn])];
  if (input.maxSessionDuration) args.push('--max-session-duration', input.maxSessionDuration);
  const { stdout } = await runKeyless(args, { env: server.adminEnv, input: input.password });
  return JSON.parse(stdout) as CreatedUser;
}
