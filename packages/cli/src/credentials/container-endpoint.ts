// The server side of the SDKs' container credentials provider (the ECS/EKS "full URI" variant):
// a client with `AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/credentials` and
// `AWS_CONTAINER_AUTHORIZATION_TOKEN=T` sends `GET /credentials` with `Authorization: T` — the
// raw token, no scheme (@aws-sdk/credential-provider-http fromHttp, @smithy fromContainerMetadata)
// — and expects `{"AccessKeyId","SecretAccessKey","Token","Expiration"}`, Expiration RFC 3339.
// Steps per request: check Host, check the token, check method and path, load, answer.
// The handler never listens (the command does), so tests call it through any server they like.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoginCacheFile } from '@keyless/protocol';

export const CREDENTIALS_PATH = '/credentials';

type Credentials = LoginCacheFile['accessToken'];

export interface ContainerEndpoint {
  /** The value clients must send in `Authorization`. */
  token: string;
  /** Valid credentials, refreshed when needed. */
  getCredentials: () => Promise<Credentials>;
  /** A line for the operator (stderr). */
  log: (line: string) => void;
}

/** The container provider's JSON. `AccountId` is read by the SDKs that know it and ignored by the rest. */
export const containerCredentialsBody = (credentials: Credentials) => ({
  AccessKeyId: credentials.accessKeyId,
  SecretAccessKey: credentials.secretAccessKey,
  Token: credentials.sessionToken,
  Expiration: credentials.expiresAt,
  AccountId: credentials.accountId,
});

// A browser page can reach 127.0.0.1 through DNS rebinding, but then its Host header names its own
// domain. The token already stops it; refusing foreign hosts keeps it from even probing.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export function containerCredentialsHandler(endpoint: ContainerEndpoint): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const expected = digest(endpoint.token);
  return async (request, response) => {
    const reply = (status: number, body: object, headers: Record<string, string> = {}) =>
      void response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
        .end(JSON.stringify(body));

    if (!LOOPBACK_HOSTS.has(hostnameOf(request.headers.host))) {
      endpoint.log(`Refused a request for host ${JSON.stringify(request.headers.host ?? '')}: only 127.0.0.1 is served.`);
      return reply(403, { Code: 'Forbidden', Message: 'Unexpected Host header.' });
    }
    const presented = request.headers.authorization;
    if (presented === undefined) {
      endpoint.log(`Refused ${request.method} ${request.url}: no Authorization header (set AWS_CONTAINER_AUTHORIZATION_TOKEN).`);
      return reply(401, { Code: 'Unauthorized', Message: 'The Authorization header is missing.' });
    }
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(presented), expected)) {
      endpoint.log(`Refused ${request.method} ${request.url}: wrong authorization token.`);
      return reply(403, { Code: 'Forbidden', Message: 'The authorization token is not valid.' });
    }
    if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== CREDENTIALS_PATH) {
      return reply(404, { Code: 'NotFound', Message: `Credentials are served at ${CREDENTIALS_PATH}.` });
    }
    if (request.method !== 'GET') return reply(405, { Code: 'MethodNotAllowed', Message: 'Use GET.' }, { allow: 'GET' });

    try {
      reply(200, containerCredentialsBody(await endpoint.getCredentials()));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      endpoint.log(`Could not serve credentials: ${message}`);
      reply(500, { Code: typeof code === 'string' ? code : 'InternalError', Message: message });
    }
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `127.0.0.1:8080` → `127.0.0.1`; `[::1]:80` → `[::1]`. */
function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
