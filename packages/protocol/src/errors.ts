// Wire errors of the Sign-In token API (PROTOCOL.md §2, signin-service-2.json `OAuth2ErrorCode`).
// A handler throws a SigninError; exactly one serialiser per protocol turns it into bytes.

export type SigninErrorType =
  | 'AccessDeniedException'
  | 'ValidationException'
  | 'TooManyRequestsError'
  | 'InternalServerException';

export type SigninErrorCode =
  | 'TOKEN_EXPIRED'
  | 'AUTHCODE_EXPIRED'
  | 'USER_CREDENTIALS_CHANGED'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'INVALID_REQUEST'
  | 'invalid_grant'
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_dpop_proof'
  | 'unsupported_grant_type'
  | 'server_error';

/** HTTP status for each type; AccessDenied splits by code (model: "flexible HTTP status mapping"). */
function statusOf(type: SigninErrorType, code: SigninErrorCode): number {
  switch (type) {
    case 'AccessDeniedException':
      return code === 'TOKEN_EXPIRED' || code === 'AUTHCODE_EXPIRED' ? 401 : 403;
    case 'ValidationException':
      return 400;
    case 'TooManyRequestsError':
      return 429;
    case 'InternalServerException':
      return 500;
  }
}

export class SigninError extends Error {
  override readonly name = 'SigninError';
  readonly status: number;
  constructor(
    readonly type: SigninErrorType,
    readonly code: SigninErrorCode,
    message: string,
    /** Only for a 503: the model has no type of its own for "unavailable", and SDKs retry a 503. */
    status?: 503,
  ) {
    super(message);
    this.status = status ?? statusOf(type, code);
  }

  /** The restJson1 body: `{"error":CODE,"message":text}`. */
  toBody(): { error: SigninErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

export const invalidRequest = (message: string) => new SigninError('ValidationException', 'INVALID_REQUEST', message);
export const invalidGrant = (message: string) => new SigninError('ValidationException', 'invalid_grant', message);
export const invalidDpopProof = (message: string) => new SigninError('ValidationException', 'invalid_dpop_proof', message);
export const tokenExpired = (message: string) => new SigninError('AccessDeniedException', 'TOKEN_EXPIRED', message);
export const authcodeExpired = (message: string) => new SigninError('AccessDeniedException', 'AUTHCODE_EXPIRED', message);
export const insufficientPermissions = (message: string) =>
  new SigninError('AccessDeniedException', 'INSUFFICIENT_PERMISSIONS', message);
export const userCredentialsChanged = (message: string) =>
  new SigninError('AccessDeniedException', 'USER_CREDENTIALS_CHANGED', message);
export const tooManyRequests = (message: string) => new SigninError('TooManyRequestsError', 'INVALID_REQUEST', message);
/** The database (or another part the service needs) is unavailable: 503, which every SDK retries. */
export const serviceUnavailable = () => new SigninError('InternalServerException', 'server_error', 'The service is unavailable; try again shortly.', 503);
export const serverError = () => new SigninError('InternalServerException', 'server_error', 'The server could not complete the request.');
