// One CloudTrail record (eventVersion 1.11), field for field as reference/cloudtrail-samples/.
// Callers pass only what may be recorded: never a code, verifier, password, token or secret.
import { isOperator, isWebIdentity, userIdentityJson, usernameOf, type Actor } from './identity.ts';
import type { RequestContext } from '../request-context.ts';
import { iso, splitRecordTemplate, TEMPLATE_STAND_INS, type RecordTemplate } from '../store/audit-record-codec.ts';
import type { AuditResource, NewAuditEvent } from '../store/store.ts';

export const SIGNIN_SOURCE = 'signin.amazonaws.com';

export interface AuditInput {
  eventName: string;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  eventSource?: string;
  readOnly: boolean;
  /** Who acted: a signed-in principal, or the operator at the server. */
  principal: Actor;
  /** The account the event belongs to; the principal's account unless the operator acted. */
  recipientAccountId?: string;
  region: string;
  context: RequestContext;
  eventId: string;
  eventTime: number;
  requestParameters: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  success: boolean;
  errorCode?: string;
  errorMessage?: string;
  /**
   * The key the caller signed with, or for CreateOAuth2Token the key it was issued: recorded as
   * `userIdentity.accessKeyId`, which is what LookupEvents' AccessKeyId attribute matches — so a
   * lookup by a key finds the event that issued it, then every call made with it.
   */
  accessKeyId?: string;
  /** LookupEvents' Resources (ResourceType, ResourceName); kept beside the record, not in it, as CloudTrail does. */
  resources?: readonly AuditResource[];
}

/** An event as its builder (audit/events/) gives it: everything but the id, which the trail mints. */
export type AuditEvent = Omit<AuditInput, 'eventId'>;

export function recipientOf(input: Pick<AuditInput, 'principal' | 'recipientAccountId'>): string {
  const actor = input.principal;
  const account = input.recipientAccountId ?? (isOperator(actor) ? undefined : isWebIdentity(actor) ? actor.webIdentity.accountId : actor.accountId);
  if (!account) throw new Error('an operator event names the account it belongs to');
  return account;
}

/** `,"key":value` as JSON.stringify writes an object's member; nothing for a value it leaves out (undefined). */
function member(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? '' : `,"${key}":${json}`;
}

const SIGNIN_SUCCESS = { true: '{"success":"true","x-amzn-vpce-id":""}', false: '{"success":"false","x-amzn-vpce-id":""}' } as const;

/**
 * The record, as the JSON text the journal stores. `additionalEventData.success` and
 * `x-amzn-vpce-id` are what the Sign-In service's API calls carry (the samples); console sign-in events say the outcome in responseElements and
 * carry LoginTo/MobileVersion/MFAUsed instead, and IAM's API calls carry no additionalEventData:
 * each kind keeps the shape AWS gives it, so queries written for CloudTrail work unchanged.
 *
 * Written member by member, in CloudTrail's key order, rather than as one object given to
 * JSON.stringify: it is built inside every refresh's transaction, and the session's userIdentity
 * comes pre-serialised (identity.ts). The text is exactly what JSON.stringify of that object
 * gives — keys, order, escaping (`cloudTrailRecord` parses it; the golden tests compare the text).
 */
export function cloudTrailJson(input: AuditInput): string {
  const eventSource = input.eventSource ?? SIGNIN_SOURCE;
  const eventType = input.eventType ?? 'AwsApiCall';
  const signinApiCall = eventSource === SIGNIN_SOURCE && eventType === 'AwsApiCall';
  const { context } = input;
  let json = `{"eventVersion":"1.11","userIdentity":${userIdentityJson(input.principal, input.accessKeyId)},"eventTime":"${iso(input.eventTime)}"`;
  json += member('eventSource', eventSource) + member('eventName', input.eventName) + member('awsRegion', input.region);
  json += member('sourceIPAddress', context.sourceIp) + member('userAgent', context.userAgent);
  if (!input.success) {
    if (input.errorCode) json += member('errorCode', input.errorCode);
    if (input.errorMessage ?? input.errorCode) json += member('errorMessage', input.errorMessage ?? input.errorCode);
  }
  json += member('requestParameters', input.requestParameters) + member('responseElements', input.responseElements ?? null);
  if (signinApiCall) {
    json +=
      input.additionalEventData === undefined
        ? `,"additionalEventData":${SIGNIN_SUCCESS[`${input.success}`]}`
        : member('additionalEventData', { ...input.additionalEventData, success: String(input.success), 'x-amzn-vpce-id': '' });
  } else if (input.additionalEventData) json += member('additionalEventData', input.additionalEventData);
  json += member('requestID', context.requestId) + member('eventID', input.eventId) + member('readOnly', input.readOnly);
  json += `${member('eventType', eventType)},"managementEvent":true${member('recipientAccountId', recipientOf(input))},"eventCategory":"Management"`;
  if (context.tls) json += member('tlsDetails', context.tls);
  return `${json}}`;
}

/** The record as an object (what `cloudTrailJson` writes, parsed). */
export const cloudTrailRecord = (input: AuditInput): Record<string, unknown> => JSON.parse(cloudTrailJson(input)) as Record<string, unknown>;

/** The journal row of an event: its CloudTrail record as JSON and the columns lookups index. */
export function auditEventRow(input: AuditInput): NewAuditEvent {
  return {
    event_id: input.eventId,
    event_time: input.eventTime,
    event_name: input.eventName,
    event_source: input.eventSource ?? SIGNIN_SOURCE,
    account_id: recipientOf(input),
    username: usernameOf(input.principal),
    access_key_id: input.accessKeyId ?? null,
    read_only: input.readOnly ? 1 : 0,
    request_id: input.context.requestId,
    record: cloudTrailJson(input),
  };
}

/**
 * The template of `input`'s record (store/audit-record-codec.ts), or undefined when its text does
 * not split cleanly. Its key, time, ids and request context are ignored: those are the values that
 * may differ between the events that share it. Everything else of `input` (who, which region and
 * client, success) is what the template says.
 */
export const recordTemplate = (input: AuditInput): RecordTemplate | undefined => splitRecordTemplate(cloudTrailJson({ ...input, ...TEMPLATE_STAND_INS }));
