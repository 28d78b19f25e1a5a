// The loopback redirect receiver of the same-device flow (PROTOCOL.md §1, RFC 8252 §7.3).
// Unlike the official CLI (PROTOCOL.md §3, "Warts"), it listens on 127.0.0.1 only and answers
// only `GET /oauth/callback`; everything else is a 404. The first callback decides the outcome:
// a code with the right state, or an error. A wrong state fails the login (RFC 6749 §10.12).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PATH } from '@keyless/protocol';
import { CliError, ExitCode, usageError } from '../ui/errors.ts';
import { callbackPage } from './callback-page.ts';

export const LOOPBACK_HOST = '127.0.0.1';

export interface CallbackServer {
  readonly port: number;
  /** `http://127.0.0.1:{port}/oauth/callback` */
  readonly redirectUri: string;
  address(): AddressInfo;
  /** The authorization code; rejects with a CliError on `error=`, a state mismatch, or after `timeoutMs`. */
  waitForCode(timeoutMs: number): Promise<string>;
  /** Stops listening once the pages already being sent are out. */
  close(): Promise<void>;
}

interface Outcome {
  result: { code: string } | { error: CliError };
  status: number;
  page: string;
}

export async function startCallbackServer(options: { expectedState: string; port?: number }): Promise<CallbackServer> {
  let outcome: Outcome | undefined;
  let settle!: (outcome: Outcome) => void;
  const settled = new Promise<Outcome>((resolve) => (settle = resolve));
  const inflight = new Set<Promise<void>>();
  let port = 0;

  const server = createServer((request, response) => {
    inflight.add(new Promise<void>((resolve) => response.once('close', resolve)));
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || !hostIsOurs(request, port)) {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
    }
    outcome ??= decide(url.searchParams, options.expectedState);
    send(response, outcome.status, 'text/html; charset=utf-8', outcome.page);
    settle(outcome);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.port ?? 0)));
    server.listen({ host: LOOPBACK_HOST, port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    redirectUri: `http://${LOOPBACK_HOST}:${port}${CALLBACK_PATH}`,
    address: () => server.address() as AddressInfo,
    async waitForCode(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        // Unref'd: the listening server keeps the process up while it waits; once a Ctrl-C has
        // ended the wait and closed the server, the timer must not keep it up for 10 minutes.
        timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs).unref();
      });
      try {
        const { result } = await Promise.race([settled, timeout]);
        if ('error' in result) throw result.error;
        return result.code;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all(inflight);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function decide(params: URLSearchParams, expectedState: string): Outcome {
  const state = params.get('state');
  if (state !== expectedState) {
    return failure(
      new CliError('STATE_MISMATCH', 'The browser came back with a state that does not match this login (a stale tab, or a forged request). Run `keyless login` again.', ExitCode.Refused),
      400,
      'This answer does not belong to the login running in your terminal.',
    );
  }
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    const said = description ? `${error}: ${description}` : error;
    const denied = error === 'access_denied';
    return failure(
      new CliError(denied ? 'AUTHORIZATION_DENIED' : 'AUTHORIZATION_FAILED', `The sign-in was not completed (${said}).`, ExitCode.Refused),
      200,
      `The sign-in server answered: ${said}`,
    );
  }
  const code = params.get('code');
  if (!code) {
    return failure(new CliError('AUTHORIZATION_FAILED', 'The browser came back without an authorization code.', ExitCode.Refused), 400, 'No authorization code was received.');
  }
  return {
    result: { code },
    status: 200,
    page: callbackPage({ ok: true, title: 'Signed in', detail: 'Keyless received your sign-in and is fetching your credentials.' }),
  };
}

const failure = (error: CliError, status: number, detail: string): Outcome => ({
  result: { error },
  status,
  page: callbackPage({ ok: false, title: 'Sign-in failed', detail }),
});

/** Browsers send `Host: 127.0.0.1:{port}`; anything else is a DNS-rebinding page, not our redirect. */
function hostIsOurs(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === undefined || host === `${LOOPBACK_HOST}:${port}`;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // The callback URL carries the code: no referrers, no framing, nothing loaded.
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  response.end(body);
}

function listenError(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE') return usageError('REDIRECT_PORT_IN_USE', `Port ${port} on 127.0.0.1 is in use. Pick another --redirect-port, or leave it out for a random one.`);
  if (error.code === 'EACCES') return usageError('REDIRECT_PORT_DENIED', `Not allowed to listen on port ${port}. Pick a --redirect-port above 1023.`);
  return new CliError('CALLBACK_SERVER_FAILED', `Could not start the local callback server: ${error.message}`, ExitCode.Failure, { cause: error });
}

function timeoutError(timeoutMs: number): CliError {
  const minutes = Math.round(timeoutMs / 60_000);
  const span = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(timeoutMs / 1000)} seconds`;
  return new CliError('LOGIN_TIMEOUT', `Timed out: the browser sign-in did not finish within ${span}. Run \`keyless login\` again.`, ExitCode.Timeout);
}
