// One IAM or Organizations change as CloudTrail records it: the API call's event name
// (CreateUser, UpdateLoginProfile, CreateAccount, …), by whoever made it, in us-east-1 because
// IAM and Organizations are global services.
import type { AuditEvent } from '../cloudtrail-record.ts';
import { GLOBAL_SERVICE_REGION, IAM_SOURCE, type AuditedBy, type IamChange } from '../iam-events.ts';

export const iamChange = (by: AuditedBy, change: IamChange, now: number): AuditEvent => ({
  eventName: change.eventName,
  eventSource: change.eventSource ?? IAM_SOURCE,
  readOnly: false,
  principal: by.actor,
  recipientAccountId: change.accountId,
  region: GLOBAL_SERVICE_REGION,
  context: by.context,
  accessKeyId: by.accessKeyId,
  eventTime: now,
  requestParameters: change.requestParameters,
  responseElements: change.responseElements ?? null,
  success: change.success ?? true,
  errorCode: change.errorCode,
  errorMessage: change.errorMessage,
  resources: change.resources,
});
