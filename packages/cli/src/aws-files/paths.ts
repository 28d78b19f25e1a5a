// Where the AWS tools keep their files, overridable the way the AWS CLI and SDKs allow.
import { join, resolve } from 'node:path';

export interface AwsPaths {
  /** `${AWS_CONFIG_FILE:-~/.aws/config}` */
  configFile: string;
  /** `${AWS_SHARED_CREDENTIALS_FILE:-~/.aws/credentials}`: only read, to refuse profiles with static keys. */
  credentialsFile: string;
  /** `${AWS_LOGIN_CACHE_DIRECTORY:-~/.aws/login/cache}` (PROTOCOL.md §3). */
  loginCacheDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The SDKs expand a leading `~/` in these variables; so do we. */
export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homeDir, path.slice(2));
  return path;
}

export function awsPaths(env: Env, homeDir: string): AwsPaths {
  const fromEnv = (name: string, fallback: string[]) => {
    const value = env[name];
    return resolve(value ? expandHome(value, homeDir) : join(homeDir, ...fallback));
  };
  return {
    configFile: fromEnv('AWS_CONFIG_FILE', ['.aws', 'config']),
    credentialsFile: fromEnv('AWS_SHARED_CREDENTIALS_FILE', ['.aws', 'credentials']),
    loginCacheDir: fromEnv('AWS_LOGIN_CACHE_DIRECTORY', ['.aws', 'login', 'cache']),
  };
}

/** `--profile`, then `AWS_PROFILE`, then `default`: the SDKs' order. */
export function resolveProfileName(option: string | undefined, env: Env): string {
  return option || env.AWS_PROFILE || 'default';
}

/** `/home/alice/.aws/config` → `~/.aws/config`, for messages only. */
export function displayPath(path: string, homeDir: string): string {
  if (homeDir && (path === homeDir || path.startsWith(`${homeDir}/`))) return `~${path.slice(homeDir.length)}`;
  return path;
}
