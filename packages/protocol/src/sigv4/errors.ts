// Typed SigV4 authentication failures. Each carries the wire code the official SDKs and CLIs
// recognise and its HTTP status; the server's query-XML / JSON serialisers turn it into bytes
// (PROTOCOL.md §4: `<ErrorResponse><Error><Type>Sender</Type><Code>…`). Messages follow AWS's
// wording; `debug` is for the log only and never goes on the wire.

export type SigV4ErrorCode =
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'ExpiredToken'
  | 'RequestExpired'
  | 'AccessDenied'
  | 'MissingAuthenticationToken'
  | 'InvalidRequest';

const STATUS: Readonly<Record<SigV4ErrorCode, number>> = {
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  ExpiredToken: 403,
  // 400 as EC2 and the other query-protocol services send it. The official clients classify a
  // clock-skew error by code (and by the response's Date header), never by status.
  RequestExpired: 400,
  AccessDenied: 403,
  MissingAuthenticationToken: 403,
  InvalidRequest: 400,
};

/** What helps an operator see why a signature failed. May name header values; log it, never send it. */
export interface SigV4ErrorDebug {
  readonly canonicalRequest?: string;
  readonly stringToSign?: string;
}

export class SigV4Error extends Error {
  override readonly name = 'SigV4Error';
  readonly status: number;
  /** Every SigV4 failure is the caller's fault: the query protocol's `<Type>Sender</Type>`. */
  readonly type = 'Sender' as const;
  constructor(
    readonly code: SigV4ErrorCode,
    message: string,
    readonly debug?: SigV4ErrorDebug,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const isSigV4Error = (value: unknown): value is SigV4Error => value instanceof SigV4Error;

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const incompleteSignature = (message: string) => new SigV4Error('IncompleteSignature', message);
export const signatureDoesNotMatch = (message = SIGNATURE_MISMATCH_MESSAGE, debug?: SigV4ErrorDebug) =>
  new SigV4Error('SignatureDoesNotMatch', message, debug);
export const invalidClientTokenId = () =>
  new SigV4Error('InvalidClientTokenId', 'The security token included in the request is invalid.');
/**
 * ExpiredToken is the code the SDKs and CLIs know ("sign in again") for both cases; the message
 * says which one happened, since a revoked session's credentials have not run out.
 */
export const expiredToken = (options: { revoked?: boolean } = {}) =>
  new SigV4Error(
    'ExpiredToken',
    options.revoked ? 'The security token included in the request has been revoked: its session was signed out or revoked' : 'The security token included in the request is expired',
  );
export const requestExpired = (message: string) => new SigV4Error('RequestExpired', message);
export const accessDenied = (message: string) => new SigV4Error('AccessDenied', message);
export const missingAuthenticationToken = () =>
  new SigV4Error('MissingAuthenticationToken', 'Request is missing Authentication Token');
export const invalidSigV4Request = (message: string) => new SigV4Error('InvalidRequest', message);
