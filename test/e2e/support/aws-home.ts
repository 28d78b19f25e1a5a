// A throwaway home for the client: its own ~/.aws/config and login cache, so a test never reads
// or writes the developer's files; and `keyless login` run as a child process against it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, startKeyless, type Proc } from './processes.ts';
import { makeTempDir } from './tmp.ts';

export interface AwsHome {
  dir: string;
  configFile: string;
  cacheDir: string;
  /** HOME, AWS_CONFIG_FILE and AWS_LOGIN_CACHE_DIRECTORY pointing here; nothing else from AWS_*. */
  env: NodeJS.ProcessEnv;
  /** PROTOCOL.md §3: `{cacheDir}/{sha256_hex(login_session)}.json`. */
  cacheFileOf(loginSession: string): string;
  readConfig(): string;
}

export function newAwsHome(initialConfig?: string): AwsHome {
  const dir = makeTempDir('home');
  const configFile = join(dir, 'config');
  const cacheDir = join(dir, 'cache');
  if (initialConfig !== undefined) writeFileSync(configFile, initialConfig, { mode: 0o600 });
  return {
    dir,
    configFile,
    cacheDir,
    env: cleanEnv({ HOME: dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_LOGIN_CACHE_DIRECTORY: cacheDir }),
    cacheFileOf: (loginSession) => join(cacheDir, `${createHash('sha256').update(loginSession, 'utf8').digest('hex')}.json`),
    readConfig: () => readFileSync(configFile, 'utf8'),
  };
}

/** What `keyless login --json` prints on stdout. */
export interface LoginResult {
  loginSession: string;
  accountId: string;
  profile: string;
  region: string;
  endpoint: string;
  cacheFile: string;
  configFile: string;
  expiresAt: string;
}

export interface PendingLogin {
  proc: Proc;
  /** The URL the CLI asks the user to open. */
  authorizeUrl: string;
  /** Waits for the CLI to exit 0 and returns its JSON result. */
  finished(timeoutMs?: number): Promise<LoginResult>;
}

/** Starts `keyless login --no-browser --json` and reads the sign-in URL it prints on stderr. */
export async function startLogin(home: AwsHome, input: { endpointUrl: string; profile: string; region?: string }): Promise<PendingLogin> {
  const args = ['login', '--profile', input.profile, '--region', input.region ?? 'us-east-1', '--endpoint-url', input.endpointUrl, '--no-browser', '--json'];
  const proc = startKeyless(`keyless login --profile ${input.profile}`, args, { env: home.env });
  const [, authorizeUrl] = await proc.waitFor('stderr', /^\s*(https?:\/\/\S+\/v1\/authorize\?\S+)\s*$/m, 15_000);
  return {
    proc,
    authorizeUrl: authorizeUrl!,
    async finished(timeoutMs = 15_000) {
      const exit = await proc.exited(timeoutMs);
      if (exit.code !== 0) throw new Error(`keyless login exited ${exit.code ?? exit.signal}:\n${proc.stderr()}`);
      return JSON.parse(proc.stdout()) as LoginResult;
    },
  };
}
