// The AWS services' errors (STS, IAM, Organizations, CloudTrail, and the front door's own), as
// one table: each code the official SDKs map to an exception, with its HTTP status and the query
// protocol's `<Type>`. Errors are built by code; the status is never typed at the call site. The
// front door serialises them (query XML, JSON 1.0/1.1); SigV4's own failures are
// protocol/src/sigv4/errors.ts.

/** IAM's codes (`@aws-sdk/client-iam`'s exception classes); iam/errors.ts builds them. */
export type IamErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'DeleteConflict'
  | 'LimitExceeded'
  | 'MalformedPolicyDocument'
  | 'ValidationError'
  | 'InvalidInput'
  | 'PasswordPolicyViolation'
  | 'UnmodifiableEntity'
  | 'ConcurrentModification'
  | 'PolicyNotAttachable'
  | 'AccessDenied';

/** Organizations' codes (`@aws-sdk/client-organizations`); all of them the caller's, 400. */
export type OrganizationsErrorCode =
  | 'AccountNotFoundException'
  | 'AlreadyInOrganizationException'
  | 'ConstraintViolationException'
  | 'DuplicateAccountException'
  | 'DuplicateOrganizationalUnitException'
  | 'DuplicatePolicyAttachmentException'
  | 'DuplicatePolicyException'
  | 'InvalidInputException'
  | 'MalformedPolicyDocumentException'
  | 'ParentNotFoundException'
  | 'PolicyChangesNotAllowedException'
  | 'PolicyInUseException'
  | 'PolicyNotAttachedException'
  | 'PolicyNotFoundException'
  | 'TargetNotFoundException';

/** CloudTrail's LookupEvents codes (`@aws-sdk/client-cloudtrail`). */
export type CloudTrailErrorCode =
  | 'AccessDeniedException'
  | 'InvalidLookupAttributesException'
  | 'InvalidTimeRangeException'
  | 'InvalidMaxResultsException'
  | 'InvalidNextTokenException'
  | 'InvalidEventCategoryException'
  | 'UnsupportedOperationException';

/** STS's codes (`@aws-sdk/client-sts`): the query code; JSON 1.0 names the exception shape. */
export type StsErrorCode =
  | 'InvalidIdentityToken'
  | 'ExpiredTokenException'
  | 'IDPRejectedClaim'
  | 'IDPCommunicationError'
  | 'MalformedPolicyDocument'
  | 'PackedPolicyTooLarge'
  | 'AccessDenied'
  | 'ValidationError';

/** What every service of the front door may answer (the common errors of AWS's query and JSON protocols). */
export type CommonErrorCode =
  | 'InvalidAction'
  | 'MissingAction'
  | 'InvalidParameterValue'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InvalidRequest'
  | 'InternalFailure'
  | 'ServiceUnavailable'
  | 'Throttling'
  | 'ThrottlingException';

export type AwsErrorCode = CommonErrorCode | IamErrorCode | OrganizationsErrorCode | CloudTrailErrorCode | StsErrorCode;

type ErrorEntry = { status: number; type: 'Sender' | 'Receiver'; shape?: string };

const SENDER = (status: number, shape?: string): ErrorEntry => (shape === undefined ? { status, type: 'Sender' } : { status, type: 'Sender', shape });

/**
 * `shape`: the exception JSON 1.0 names in `__type` where it is not the code (STS's model declares
 * `InvalidIdentityTokenException` with the query code `InvalidIdentityToken`).
 */
const ERRORS: Readonly<Record<AwsErrorCode, ErrorEntry>> = {
  InvalidAction: SENDER(400),
  MissingAction: SENDER(400),
  InvalidParameterValue: SENDER(400),
  SerializationException: SENDER(400),
  UnknownOperationException: SENDER(400),
  InvalidRequest: SENDER(400),
  InternalFailure: { status: 500, type: 'Receiver' },
  // The database (or another part) is unavailable for now: the SDKs retry a 503 by themselves.
  ServiceUnavailable: { status: 503, type: 'Receiver' },
  // A request rate limit (http/rate-limits.ts), in AWS's words: `Throttling` in the query
  // protocol's services (STS, IAM), `ThrottlingException` in JSON-only ones (CloudTrail).
  Throttling: SENDER(400),
  ThrottlingException: SENDER(400),

  NoSuchEntity: SENDER(404),
  EntityAlreadyExists: SENDER(409),
  DeleteConflict: SENDER(409),
  LimitExceeded: SENDER(409),
  MalformedPolicyDocument: SENDER(400, 'MalformedPolicyDocumentException'),
  ValidationError: SENDER(400),
  InvalidInput: SENDER(400),
  PasswordPolicyViolation: SENDER(400),
  UnmodifiableEntity: SENDER(400),
  ConcurrentModification: SENDER(409),
  PolicyNotAttachable: SENDER(400),
  AccessDenied: SENDER(403),

  AccountNotFoundException: SENDER(400),
  AlreadyInOrganizationException: SENDER(400),
  ConstraintViolationException: SENDER(400),
  DuplicateAccountException: SENDER(400),
  DuplicateOrganizationalUnitException: SENDER(400),
  DuplicatePolicyAttachmentException: SENDER(400),
  DuplicatePolicyException: SENDER(400),
  InvalidInputException: SENDER(400),
  MalformedPolicyDocumentException: SENDER(400),
  ParentNotFoundException: SENDER(400),
  PolicyChangesNotAllowedException: SENDER(400),
  PolicyInUseException: SENDER(400),
  PolicyNotAttachedException: SENDER(400),
  PolicyNotFoundException: SENDER(400),
  TargetNotFoundException: SENDER(400),

  // CloudTrail answers a refused LookupEvents with 400, not 403.
  AccessDeniedException: SENDER(400),
  InvalidLookupAttributesException: SENDER(400),
  InvalidTimeRangeException: SENDER(400),
  InvalidMaxResultsException: SENDER(400),
  InvalidNextTokenException: SENDER(400),
  InvalidEventCategoryException: SENDER(400),
  UnsupportedOperationException: SENDER(400),

  InvalidIdentityToken: SENDER(400, 'InvalidIdentityTokenException'),
  ExpiredTokenException: SENDER(400),
  IDPRejectedClaim: SENDER(403, 'IDPRejectedClaimException'),
  IDPCommunicationError: SENDER(400, 'IDPCommunicationErrorException'),
  PackedPolicyTooLarge: SENDER(400, 'PackedPolicyTooLargeException'),
};

/** The exception `__type` names in JSON 1.0 for a code. */
export const jsonShapeOf = (code: string): string => (Object.hasOwn(ERRORS, code) ? ERRORS[code as AwsErrorCode].shape : undefined) ?? code;

/** The wire status of an AWS-service error code. */
export const statusOf = (code: AwsErrorCode): number => ERRORS[code].status;

/** An error in a service's own vocabulary (`NoSuchEntity`, `InvalidParameterValue`, …). */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';
  constructor(
    readonly code: AwsErrorCode,
    message: string,
  ) {
    super(message);
    ({ status: this.status, type: this.type } = ERRORS[code]);
  }
}
