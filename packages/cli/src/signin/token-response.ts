// CreateOAuth2TokenResponseBody (PROTOCOL.md §2), checked before anything is written to disk.
import type { TokenResponse } from '@keyless/protocol';
import { CliError, ExitCode } from '../ui/errors.ts';

export const TOKEN_PATH = '/v1/token';

/** Validates a 200 body of `/v1/token`. `idToken` is required on code redemption only. */
export function parseTokenResponse(value: unknown, options: { requireIdToken: boolean }): TokenResponse {
  const bad = (what: string) => new CliError('TOKEN_RESPONSE_INVALID', `The sign-in server's token response ${what}.`, ExitCode.Unreachable);
  if (!value || typeof value !== 'object') throw bad('is not a JSON object');
  const body = value as Record<string, unknown>;
  const token = body.accessToken as Record<string, unknown> | undefined;
  if (!token || typeof token !== 'object') throw bad('has no accessToken');
  for (const key of ['accessKeyId', 'secretAccessKey', 'sessionToken']) {
    if (typeof token[key] !== 'string' || token[key] === '') throw bad(`has no accessToken.${key}`);
  }
  if (body.tokenType !== 'aws_sigv4') throw bad(`has tokenType ${JSON.stringify(body.tokenType)}, not "aws_sigv4"`);
  if (typeof body.expiresIn !== 'number' || !Number.isFinite(body.expiresIn) || body.expiresIn <= 0) throw bad('has no positive expiresIn');
  if (typeof body.refreshToken !== 'string' || body.refreshToken === '') throw bad('has no refreshToken');
  if (body.idToken !== undefined && typeof body.idToken !== 'string') throw bad('has an idToken that is not a string');
  if (options.requireIdToken && !body.idToken) throw bad('has no idToken');
  return {
    accessToken: {
      accessKeyId: token.accessKeyId as string,
      secretAccessKey: token.secretAccessKey as string,
      sessionToken: token.sessionToken as string,
    },
    tokenType: 'aws_sigv4',
    expiresIn: body.expiresIn,
    refreshToken: body.refreshToken,
    ...(typeof body.idToken === 'string' ? { idToken: body.idToken } : {}),
  };
}
