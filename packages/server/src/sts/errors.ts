// STS's errors, built by code from the one table (aws-api/errors.ts holds each code's status and
// its JSON 1.0 exception shape); the front door serialises them.
import { AwsServiceError, type StsErrorCode } from '../aws-api/errors.ts';

export const stsError = (code: StsErrorCode | 'InvalidAction', message: string): AwsServiceError => new AwsServiceError(code, message);

/** AWS's words when the caller's own policies or the role's trust policy do not allow the call. */
export const notAuthorized = (who: string, action: string, resource: string) =>
  stsError('AccessDenied', `User: ${who} is not authorized to perform: ${action} on resource: ${resource}`);
