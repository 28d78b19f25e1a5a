// A throwaway sign-in server for the CLI's unit tests: just enough of PROTOCOL.md §1–2 to test
// the client's wire behaviour — /v1/authorize redirects straight back with a code, /v1/token
// checks the DPoP proof and the PKCE verifier, /v1/revoke checks the proof and records the call.
// The real server is tested against the real clients by the e2e suite.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifierMatchesChallenge, verifyDpopProof, SigninError, type SigninErrorCode } from '@keyless/protocol';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The RFC 7638 thumbprint of the DPoP key that signed the request. */
  jkt?: string;
}

export interface FakeSigninServer {
  baseUrl: string;
  /** Every /v1/authorize query, as sent. */
  authorizeRequests: URLSearchParams[];
  tokenRequests: RecordedRequest[];
  /** The token requests with the refresh_token grant that reached the server. */
  refreshRequests: RecordedRequest[];
  revokeRequests: RecordedRequest[];
  /** The refresh tokens the server considers live, with the key thumbprint each is bound to. */
  liveRefreshTokens: Map<string, string>;
  close(): Promise<void>;
}

export interface FakeSigninOptions {
  /** The principal ARN put in the idToken's `sub`. */
  principal?: string;
  /** The clock the DPoP `iat` is checked against (seconds). */
  now: () => number;
  /** Make /v1/authorize redirect back with `error=` instead of a code. */
  authorizeError?: string;
  /** Make /v1/token fail with this wire error. Read on every request, so a test may set it later. */
  tokenError?: { type: SigninError['type']; code: SigninErrorCode; message: string };
  /** Answer /v1/token only after this long, so concurrent clients really overlap. */
  tokenDelayMs?: number;
}

/** An unsigned-but-well-formed JWT (`alg: none` is fine: clients only decode it). */
export const unsignedJwt = (claims: Record<string, unknown>): string =>
  `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

export async function startFakeSigninServer(options: FakeSigninOptions): Promise<FakeSigninServer> {
  const principal = options.principal ?? 'arn:aws:iam::111111111111:user/alice';
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const state: Omit<FakeSigninServer, 'baseUrl' | 'close'> = {
    authorizeRequests: [],
    tokenRequests: [],
    refreshRequests: [],
    revokeRequests: [],
    liveRefreshTokens: new Map(),
  };
  let baseUrl = '';
  // Every issuance gets its own key id (the first is ASIAFAKEFAKEFAKE0001), so tests can tell them apart.
  let issued = 0;

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', baseUrl);
      if (request.method === 'GET' && url.pathname === '/v1/authorize') return authorize(url.searchParams, response);
      if (request.method === 'POST' && url.pathname === '/v1/token') return await token(request, response);
      if (request.method === 'POST' && url.pathname === '/v1/revoke') return await revoke(request, response);
      response.writeHead(404).end();
    } catch (error) {
      const wire = error instanceof SigninError ? error : new SigninError('InternalServerException', 'server_error', String(error));
      response.writeHead(wire.status, { 'content-type': 'application/json', 'x-amzn-errortype': wire.type }).end(JSON.stringify(wire.toBody()));
    }
  });

  function authorize(query: URLSearchParams, response: ServerResponse) {
    state.authorizeRequests.push(query);
    const redirect = new URL(query.get('redirect_uri') as string);
    if (options.authorizeError) {
      redirect.searchParams.set('error', options.authorizeError);
    } else {
      const code = randomUUID();
      codes.set(code, { challenge: query.get('code_challenge') as string, redirectUri: redirect.href });
      redirect.searchParams.set('code', code);
    }
    redirect.searchParams.set('state', query.get('state') as string);
    response.writeHead(302, { location: redirect.href }).end();
  }

  async function readRequest(request: IncomingMessage, path: string): Promise<RecordedRequest> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const proof = verifyDpopProof(request.headers.dpop, { htm: 'POST', htu: [`${baseUrl}${path}`], now: options.now() });
    return { path, headers: request.headers, body, jkt: proof.jkt };
  }

  async function token(request: IncomingMessage, response: ServerResponse) {
    const recorded = await readRequest(request, '/v1/token');
    state.tokenRequests.push(recorded);
    if (recorded.body.grantType === 'refresh_token') state.refreshRequests.push(recorded);
    if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
    if (options.tokenError) throw new SigninError(options.tokenError.type, options.tokenError.code, options.tokenError.message);
    const { body } = recorded;
    if (body.grantType === 'authorization_code') {
      const issued = codes.get(body.code as string);
      codes.delete(body.code as string);
      if (!issued || issued.redirectUri !== body.redirectUri) throw new SigninError('ValidationException', 'invalid_grant', 'Unknown code.');
      if (!verifierMatchesChallenge(body.codeVerifier as string, issued.challenge)) throw new SigninError('ValidationException', 'invalid_grant', 'PKCE failed.');
    } else if (state.liveRefreshTokens.get(body.refreshToken as string) !== recorded.jkt) {
      throw new SigninError('AccessDeniedException', 'TOKEN_EXPIRED', 'Refresh token invalid.');
    } else {
      state.liveRefreshTokens.delete(body.refreshToken as string);
    }
    const refreshToken = `rt-${randomUUID()}`;
    state.liveRefreshTokens.set(refreshToken, recorded.jkt as string);
    const answer = {
      accessToken: { accessKeyId: `ASIAFAKEFAKEFAKE${String(++issued).padStart(4, '0')}`, secretAccessKey: 'fake-secret', sessionToken: `fake-session-${randomUUID()}` },
      tokenType: 'aws_sigv4',
      expiresIn: 900,
      refreshToken,
      ...(body.grantType === 'authorization_code' ? { idToken: unsignedJwt({ sub: principal, iat: Math.floor(options.now()) }) } : {}),
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  async function revoke(request: IncomingMessage, response: ServerResponse) {
    const recorded = await readRequest(request, '/v1/revoke');
    state.revokeRequests.push(recorded);
    const refreshToken = recorded.body.refreshToken as string;
    // RFC 7009: 200 for unknown tokens too; a known one must be presented with its own key.
    if (state.liveRefreshTokens.get(refreshToken) === recorded.jkt) state.liveRefreshTokens.delete(refreshToken);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...state,
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback URL where nothing listens (a port that was free a moment ago): connections are refused. */
export async function unreachableUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
