// IAM's errors as typed values carrying their wire code and status (the codes `@aws-sdk/client-iam`
// maps to its exception classes). The Query API serialises them; `keyless admin` prints the message.
// Their statuses are the AWS services' one table (aws-api/errors.ts).
import { statusOf, type IamErrorCode } from '../aws-api/errors.ts';
import { PolicyValidationError } from './policy/index.ts';

export class IamError extends Error {
  override readonly name = 'IamError';
  readonly status: number;
  constructor(
    readonly code: IamErrorCode,
    message: string,
  ) {
    super(message);
    this.status = statusOf(code);
  }
}

export const noSuchEntity = (message: string) => new IamError('NoSuchEntity', message);
export const alreadyExists = (message: string) => new IamError('EntityAlreadyExists', message);
export const deleteConflict = (message: string) => new IamError('DeleteConflict', message);
export const limitExceeded = (message: string) => new IamError('LimitExceeded', message);
export const invalidInput = (message: string) => new IamError('InvalidInput', message);

/** AWS's shape for a parameter that fails its constraint. */
export const validationError = (parameter: string, value: unknown, constraint: string) =>
  new IamError('ValidationError', `1 validation error detected: Value ${shown(value)} at '${parameter}' failed to satisfy constraint: Member ${constraint}`);

const shown = (value: unknown) => (value === undefined ? 'null' : `'${String(value).slice(0, 128)}'`);

/** A policy document the engine refused: its path into the document leads the message. */
export function policyDocumentError(error: unknown): IamError {
  if (error instanceof PolicyValidationError) {
    return new IamError(error.code === 'LimitExceeded' ? 'LimitExceeded' : 'MalformedPolicyDocument', error.path ? `${error.path}: ${error.detail}` : error.detail);
  }
  throw error;
}
