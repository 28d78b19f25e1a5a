// Security events an operator must see (a stolen refresh token, a replayed DPoP proof, a refresh
// a policy refused, a lock-out), as facts attached to the wire error that answers them. The domain
// decides and attaches; the HTTP edge, which has the logger, the source address and the request id,
// writes one warn line (http/access-log.ts). Only identifiers travel: never a token or a secret.

export type SecurityEventKind = 'refresh-token-reused' | 'dpop-proof-replayed' | 'refresh-denied' | 'sign-in-locked-out';

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** The login session it concerns, when one is known. */
  sessionId?: string;
  /** The principal it concerns, when one is known. */
  principalArn?: string;
  /** What was done about it, in a few words ("session revoked"). */
  outcome?: string;
}

const attached = new WeakMap<Error, SecurityEvent>();

/** `error`, with `event` attached for the edge to log. */
export function withSecurityEvent<E extends Error>(error: E, event: SecurityEvent): E {
  attached.set(error, event);
  return error;
}

export const securityEventOf = (error: unknown): SecurityEvent | undefined => (error instanceof Error ? attached.get(error) : undefined);
