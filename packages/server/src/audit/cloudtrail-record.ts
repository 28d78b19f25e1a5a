// One CloudTrail record (eventVersion 1.11), field for field as reference/cloudtrail-samples/.
// Callers pass only what may be recorded: never a code, verifier, password, token or secret.
import { isOperator, isWebIdentity, userIdentityOf, usernameOf, type Actor } from './identity.ts';
import type { AuditResource, NewAuditEvent, Repos } from '../store/store.ts';

export interface RequestContext {
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Present when the request arrived over TLS. */
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

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

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function recipientOf(input: Pick<AuditInput, 'principal' | 'recipientAccountId'>): string {
  const actor = input.principal;
  const account = input.recipientAccountId ?? (isOperator(actor) ? undefined : isWebIdentity(actor) ? actor.webIdentity.accountId : actor.accountId);
  if (!account) throw new Error('an operator event names the account it belongs to');
  return account;
}

/**
 * The record. `additionalEventData.success` and `x-amzn-vpce-id` are what the Sign-In service's
 * API calls carry (the samples); console sign-in events say the outcome in responseElements and
 * carry LoginTo/MobileVersion/MFAUsed instead, and IAM's API calls carry no additionalEventData:
 * each kind keeps the shape AWS gives it, so queries written for CloudTrail work unchanged.
 */
export function cloudTrailRecord(input: AuditInput): Record<string, unknown> {
  const eventSource = input.eventSource ?? SIGNIN_SOURCE;
  const eventType = input.eventType ?? 'AwsApiCall';
  const signinApiCall = eventSource === SIGNIN_SOURCE && eventType === 'AwsApiCall';
  const record: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: userIdentityOf(input.principal, input.accessKeyId),
    eventTime: iso(input.eventTime),
    eventSource,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: input.context.sourceIp,
    userAgent: input.context.userAgent,
  };
  if (!input.success) {
    if (input.errorCode) record.errorCode = input.errorCode;
    if (input.errorMessage ?? input.errorCode) record.errorMessage = input.errorMessage ?? input.errorCode;
  }
  record.requestParameters = input.requestParameters;
  record.responseElements = input.responseElements ?? null;
  if (signinApiCall) record.additionalEventData = { ...input.additionalEventData, success: String(input.success), 'x-amzn-vpce-id': '' };
  else if (input.additionalEventData) record.additionalEventData = input.additionalEventData;
  Object.assign(record, {
    requestID: input.context.requestId,
    eventID: input.eventId,
    readOnly: input.readOnly,
    eventType,
    managementEvent: true,
    recipientAccountId: recipientOf(input),
    eventCategory: 'Management',
  });
  if (input.context.tls) record.tlsDetails = input.context.tls;
  return record;
}

/** The journal row of an event: its CloudTrail record as JSON and the columns lookups index. */
export function auditEventRow(input: AuditInput): NewAuditEvent {
  const record = cloudTrailRecord(input);
  return {
    event_id: input.eventId,
    event_time: input.eventTime,
    event_name: input.eventName,
    event_source: record.eventSource as string,
    account_id: record.recipientAccountId as string,
    username: usernameOf(input.principal),
    access_key_id: input.accessKeyId ?? null,
    read_only: input.readOnly ? 1 : 0,
    request_id: input.context.requestId,
    record: JSON.stringify(record),
  };
}

/** Appends the record inside the caller's transaction: the event commits with the change or not at all. */
export async function recordAuditEvent(tx: Pick<Repos, 'audit'>, input: AuditInput): Promise<void> {
  await tx.audit.append(auditEventRow(input), input.resources);
}
