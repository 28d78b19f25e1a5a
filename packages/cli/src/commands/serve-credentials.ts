// `keyless serve-credentials`: a local container-credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN) serving the profile's
// credentials, refreshed as they near expiry, to any SDK or CLI — no files, no credential_process.
// Steps: refuse anything but 127.0.0.1, check the profile has a session (fail now, not on the
// first request), make a random token, listen, print the two variables, serve until Ctrl-C.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliContext } from '../context.ts';
import { containerCredentialsHandler, CREDENTIALS_PATH } from '../credentials/container-endpoint.ts';
import { loadCredentials } from '../credentials/load-credentials.ts';
import { singleFlight } from '../credentials/single-flight.ts';
import { CliError, ExitCode, usageError } from '../ui/errors.ts';
import { createOutput } from '../ui/output.ts';

export interface ServeCredentialsOptions {
  profile?: string;
  /** 0 or undefined: a random free port on 127.0.0.1. */
  port?: number;
  /** Only 127.0.0.1: credentials are never served to the network. */
  host?: string;
  json?: boolean;
}

export const SERVE_HOST = '127.0.0.1';

export async function run(options: ServeCredentialsOptions, ctx: CliContext): Promise<number> {
  const out = createOutput(ctx, { json: options.json });
  if (options.host !== undefined && options.host !== SERVE_HOST) {
    throw usageError('HOST_NOT_LOOPBACK', `serve-credentials listens on ${SERVE_HOST} only: anyone who can reach the port could ask for the credentials. (Containers reach it with --network host.)`);
  }
  const load = singleFlight(() => loadCredentials({ ctx, profile: options.profile, warn: out.warn }));
  const first = await load();

  const token = randomBytes(32).toString('base64url');
  const handler = containerCredentialsHandler({
    token,
    log: out.say,
    getCredentials: async () => {
      const loaded = await load();
      if (loaded.refreshed) out.say(`Refreshed the credentials; valid until ${loaded.cache.accessToken.expiresAt}.`);
      return loaded.cache.accessToken;
    },
  });
  const server = createServer((request, response) => void handler(request, response));
  const port = await listen(server, options.port ?? 0);
  const url = `http://${SERVE_HOST}:${port}${CREDENTIALS_PATH}`;
  const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: token };

  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ profile: first.profile, url, token, env })}\n`);
  } else {
    out.say(`Serving the credentials of profile "${first.profile}" (${first.loginSession}) on ${url}.`);
    out.say('Run these two lines in the shell of the tool that should use them (and give it no other AWS credentials); Ctrl-C stops:');
    // `export`, so that `docker run -e NAME` (which passes a variable of the shell on) finds them.
    for (const [name, value] of Object.entries(env)) ctx.stdout.write(`export ${name}=${value}\n`);
    out.say(`then e.g.  docker run --network host -e AWS_CONTAINER_CREDENTIALS_FULL_URI -e AWS_CONTAINER_AUTHORIZATION_TOKEN …`);
  }

  const signal = await ctx.untilInterrupted();
  await close(server);
  out.say(`Stopped (${signal}).`);
  return ExitCode.Ok;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError('PORT_IN_USE', `Port ${port} on ${SERVE_HOST} is in use; pick another with --port, or leave it out for a free one.`, ExitCode.Usage)
          : error,
      );
    });
    server.listen(port, SERVE_HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
