import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../request-context.ts';

/** What the audit trail records about a request's origin. */
export function requestContextOf(request: FastifyRequest): RequestContext {
  const socket = request.raw.socket as Partial<TLSSocket>;
  const cipher = socket.encrypted ? socket.getCipher?.() : undefined;
  return {
    requestId: request.id,
    sourceIp: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 1024),
    ...(cipher && {
      tls: { tlsVersion: cipher.version, cipherSuite: cipher.standardName ?? cipher.name, clientProvidedHostHeader: String(request.headers.host ?? '') },
    }),
  };
}
