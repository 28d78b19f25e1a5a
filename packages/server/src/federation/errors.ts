// Why a federated sign-in stopped, as a typed value with a stable code. The browser sees `title`
// and `message` (http/federation-routes.ts renders them, the one place that does); `detail` is for
// the log line only and never holds a code, verifier, token or secret.
import type { OidcProvider } from '../store/store.ts';
import type { Claims } from './provider-identity.ts';

export type FederationErrorCode =
  /** No such provider (deleted, or a hand-made link). */
  | 'UnknownProvider'
  /** Discovery, the JWKS or the token endpoint did not answer in time, or answered nonsense. */
  | 'ProviderUnreachable'
  /** The provider sent the browser back with `error=…` (RFC 6749 §4.1.2.1), e.g. access_denied. */
  | 'ProviderRefused'
  /** The callback's state is unknown, already used, expired, or from another browser. */
  | 'UnknownRequest'
  /** The token endpoint refused the code. */
  | 'CodeExchangeFailed'
  /** The ID token failed verification (signature, iss, aud, azp, exp/iat, nonce, alg). */
  | 'InvalidIdToken'
  /** No role's trust policy admits these claims, or the chosen one no longer does. */
  | 'NoRole'
  /** The role picker's form is forged, from another browser, or too old. */
  | 'ChoiceExpired';

const STATUS: Record<FederationErrorCode, number> = {
  UnknownProvider: 404,
  ProviderUnreachable: 502,
  ProviderRefused: 401,
  UnknownRequest: 400,
  CodeExchangeFailed: 502,
  InvalidIdToken: 401,
  NoRole: 403,
  ChoiceExpired: 400,
};

/**
 * Whose sign-in a failure was, when Keyless can say: the provider, once a sign-in it began came
 * back, and the claims of an ID token that verified. The audit trail records the failure for them
 * (federation/failed-sign-in-event.ts); unattributed failures stay in the log alone.
 */
export interface SignInAttempt {
  provider: Pick<OidcProvider, 'arn' | 'account_id' | 'client_id'>;
  claims?: Claims;
}

export class FederationError extends Error {
  readonly status: number;
  /** The authorize request the sign-in was for, when known: the error page offers to sign in again for it. */
  returnTo?: string;
  attempt?: SignInAttempt;
  constructor(
    readonly code: FederationErrorCode,
    readonly title: string,
    message: string,
    /** For the log: what went wrong, without secrets. */
    readonly detail?: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  attributedTo(attempt: SignInAttempt): this {
    this.attempt = attempt;
    return this;
  }
}

/** Runs `step`; a FederationError it throws remembers `returnTo`. */
export async function returningTo<T>(returnTo: string | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof FederationError && returnTo !== undefined) error.returnTo = returnTo;
    throw error;
  }
}

export const isFederationError = (error: unknown): error is FederationError => error instanceof FederationError;
