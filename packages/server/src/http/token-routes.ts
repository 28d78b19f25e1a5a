// POST /v1/token and POST /v1/revoke: restJson1 (PROTOCOL.md §2). Errors are serialised here and
// only here: status by type, `x-amzn-errortype`, body `{"error","message"}`.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SigninError, serverError, serviceUnavailable, tooManyRequests } from '@keyless/protocol';
import { createOAuth2Token } from '../token/create-token.ts';
import { revokeOAuth2Token } from '../token/revoke-token.ts';
import type { TokenDeps } from '../token/deps.ts';
import { noteWireError } from './access-log.ts';
import { MAX_BODY_BYTES, parseApiBody } from './body.ts';
import { databaseUnavailable } from './database-unavailable.ts';
import { RateLimitExceeded } from './rate-limits.ts';
import { requestContextOf } from './request-context.ts';

export function sendSigninError(reply: FastifyReply, error: SigninError): FastifyReply {
  noteWireError(reply, error.code, error);
  return reply
    .code(error.status)
    .header('x-amzn-errortype', error.type)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send(JSON.stringify(error.toBody()));
}

export async function tokenRoutes(app: FastifyInstance, deps: TokenDeps & { revokeUrls: readonly string[] }): Promise<void> {
  // Every content type reaches the handler as bytes; parseApiBody decides what is acceptable.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SigninError) return sendSigninError(reply, error);
    if (error instanceof RateLimitExceeded) return sendSigninError(reply, tooManyRequests('Too many requests from this client. Retry later.'));
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return sendSigninError(reply, new SigninError('ValidationException', 'INVALID_REQUEST', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
    if (status && status >= 400 && status < 500) return sendSigninError(reply, new SigninError('ValidationException', 'INVALID_REQUEST', 'The request is malformed.'));
    if (databaseUnavailable(error, reply, request.log)) return sendSigninError(reply, serviceUnavailable());
    request.log.error({ err: error }, 'token endpoint failed');
    return sendSigninError(reply, serverError());
  });

  app.post('/v1/token', async (request, reply) => {
    const body = parseApiBody(request.headers['content-type'], request.body as Buffer | undefined);
    const response = await createOAuth2Token(deps, { body, dpop: request.headers.dpop, context: requestContextOf(request) });
    return reply.header('cache-control', 'no-store').type('application/json').send(JSON.stringify(response));
  });

  app.post('/v1/revoke', async (request, reply) => {
    const body = parseApiBody(request.headers['content-type'], request.body as Buffer | undefined);
    await revokeOAuth2Token(deps, { body, dpop: request.headers.dpop, context: requestContextOf(request) });
    return reply.header('cache-control', 'no-store').type('application/json').send('{}');
  });
}
