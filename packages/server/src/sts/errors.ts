// STS's errors, as AWS's STS model declares them: the query-protocol code (what `<Code>` and
// `x-amzn-query-error` carry), the HTTP status, and for JSON 1.0 the exception shape `__type` names
// when it differs from the code. The front door serialises them (one table, one place).
import { AwsServiceError } from '../http/aws-api/service.ts';

export const STS_ERRORS = {
  InvalidIdentityToken: { status: 400, shape: 'InvalidIdentityTokenException' },
  ExpiredTokenException: { status: 400, shape: 'ExpiredTokenException' },
  IDPRejectedClaim: { status: 403, shape: 'IDPRejectedClaimException' },
  IDPCommunicationError: { status: 400, shape: 'IDPCommunicationErrorException' },
  MalformedPolicyDocument: { status: 400, shape: 'MalformedPolicyDocumentException' },
  PackedPolicyTooLarge: { status: 400, shape: 'PackedPolicyTooLargeException' },
  AccessDenied: { status: 403 },
  ValidationError: { status: 400 },
  InvalidAction: { status: 400 },
} as const satisfies Record<string, { status: number; shape?: string }>;

export type StsErrorCode = keyof typeof STS_ERRORS;

export const stsError = (code: StsErrorCode, message: string): AwsServiceError => new AwsServiceError(code, STS_ERRORS[code].status, message);

/** `__type` names for JSON 1.0 (`com.amazonaws.sts#InvalidIdentityTokenException`). */
export const STS_JSON_ERROR_SHAPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(STS_ERRORS).flatMap(([code, entry]) => ('shape' in entry ? [[code, entry.shape]] : [])),
);

/** AWS's words when the trust policy (or the caller's own policies) do not allow the call. */
export const notAuthorized = (who: string, action: string, resource: string) =>
  stsError('AccessDenied', `User: ${who} is not authorized to perform: ${action} on resource: ${resource}`);
