// A logged-in profile for tests: the config file naming the login session and the server, and a
// cache file whose refresh token the fake sign-in server holds live, bound to the cache's key.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isoSeconds, jwkThumbprint, newDpopKey, sha256Hex, SAME_DEVICE_CLIENT_ID, type EcPublicJwk, type LoginCacheFile } from '@keyless/protocol';
import { unsignedJwt, type FakeSigninServer } from './fake-signin-server.ts';

export const ALICE = 'arn:aws:iam::111111111111:user/alice';

export interface SeededSession {
  configPath: string;
  cachePath: string;
  cache: LoginCacheFile;
}

export const thumbprintOf = (pem: string) => jwkThumbprint(createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' }) as unknown as EcPublicJwk);

export async function seedSession(input: {
  home: string;
  server: Pick<FakeSigninServer, 'baseUrl' | 'liveRefreshTokens'>;
  expiresAt: Date;
  profile?: string;
  principal?: string;
  /** false: leave the endpoint out of the config (the refresh then goes to signInRegion's AWS endpoint). */
  endpointInConfig?: boolean;
  signInRegion?: string;
  /** Extra lines for the profile section. */
  profileLines?: string[];
  /** Also name this STS endpoint in the profile's services section. */
  stsEndpoint?: string;
}): Promise<SeededSession> {
  const profile = input.profile ?? 'p';
  const principal = input.principal ?? ALICE;
  const dpopKey = newDpopKey().export({ type: 'sec1', format: 'pem' }).toString();
  const refreshToken = `rt-seed-${sha256Hex(dpopKey).slice(0, 12)}`;
  input.server.liveRefreshTokens.set(refreshToken, thumbprintOf(dpopKey));

  const cacheDir = join(input.home, '.aws', 'login', 'cache');
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const cache: LoginCacheFile = {
    accessToken: {
      accessKeyId: 'ASIASEEDSEEDSEED0000',
      secretAccessKey: 'seed-secret',
      sessionToken: 'seed-session-token',
      accountId: '111111111111',
      expiresAt: isoSeconds(input.expiresAt),
    },
    tokenType: 'aws_sigv4',
    clientId: SAME_DEVICE_CLIENT_ID,
    refreshToken,
    idToken: unsignedJwt({ sub: principal }),
    dpopKey,
    signInRegion: input.signInRegion ?? 'eu-west-1',
  };
  const cachePath = join(cacheDir, `${sha256Hex(principal)}.json`);
  await writeFile(cachePath, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600 });

  const section = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const services = input.endpointInConfig === false ? [] : [`services = kl-${profile}`];
  const lines = [section, `login_session = ${principal}`, ...services, ...(input.profileLines ?? []), ''];
  if (input.endpointInConfig !== false) {
    lines.push(`[services kl-${profile}]`, 'signin =', `  endpoint_url = ${input.server.baseUrl}`);
    if (input.stsEndpoint) lines.push('sts =', `  endpoint_url = ${input.stsEndpoint}`);
    lines.push('');
  }
  const configPath = join(input.home, '.aws', 'config');
  await writeFile(configPath, lines.join('\n'), { flag: 'a' });
  return { configPath, cachePath, cache };
}
