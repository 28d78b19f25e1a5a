// What every request leaves in the log: one access line (method, path without the query — codes
// travel in queries —, status, time, the client address, the wire error code when it failed, and a
// request id from a trusted proxy beside Keyless's own), and a warn line for each security event.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { securityEventOf, type SecurityEvent } from '../security-events.ts';

/** An X-Request-Id worth logging and echoing: short, plain characters (it is copied into the log). */
const PROXY_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The wire error code this request was answered with, set by the protocol's serialiser. */
    wireError?: string;
    /** The X-Request-Id a trusted proxy sent, when it looks like one. */
    proxyRequestId?: string;
  }
}

/** Called by each protocol's error serialiser, so the access line names the code the client got. */
export function noteWireError(reply: FastifyReply, code: string, error?: unknown): void {
  const request = reply.request;
  request.wireError = code;
  const event = securityEventOf(error);
  if (event) logSecurityEvent(request, event, code);
}

/** The warn line of a security event: who and where, with the request's ids — never a secret. */
export function logSecurityEvent(request: FastifyRequest, event: SecurityEvent, errorCode?: string): void {
  request.log.warn({ security: event.kind, sessionId: event.sessionId, principalArn: event.principalArn, outcome: event.outcome, sourceIp: request.ip, errorCode, proxyRequestId: request.proxyRequestId }, `security: ${event.kind}`);
}

export function accessLog(app: FastifyInstance, options: { isTrustedProxy: (address: string | undefined) => boolean }): void {
  // Both hooks take `done` rather than returning a promise: nothing in them waits, so a promise
  // and a microtask per hook on every request bought nothing.
  app.addHook('onRequest', (request, reply, done) => {
    // Every response carries the request id the audit event records (CloudTrail's requestID).
    reply.header('x-amzn-requestid', request.id);
    if (options.isTrustedProxy(request.socket.remoteAddress)) {
      const id = request.headers['x-request-id'];
      if (typeof id === 'string' && PROXY_REQUEST_ID.test(id)) {
        request.proxyRequestId = id;
        reply.header('x-request-id', id);
      }
    }
    done();
  });
  app.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        sourceIp: request.ip,
        ...(request.wireError && { errorCode: request.wireError }),
        ...(request.proxyRequestId && { proxyRequestId: request.proxyRequestId }),
      },
      'request',
    );
    done();
  });
}
