// One CloudTrail record (eventVersion 1.11), field for field as reference/cloudtrail-samples/.
// Callers pass only what may be recorded: never a code, verifier, password, token or secret.
import { userIdentityOf, usernameOf, type SessionPrincipal } from './identity.ts';
import type { Repos } from '../store/store.ts';

export interface RequestContext {
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Present when the request arrived over TLS. */
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

export interface AuditInput {
  eventName: string;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  eventSource?: string;
  readOnly: boolean;
  principal: SessionPrincipal;
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
  accessKeyId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function cloudTrailRecord(input: AuditInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: userIdentityOf(input.principal, input.accessKeyId),
    eventTime: iso(input.eventTime),
    eventSource: input.eventSource ?? 'signin.amazonaws.com',
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: input.context.sourceIp,
    userAgent: input.context.userAgent,
  };
  if (!input.success && input.errorCode) {
    record.errorCode = input.errorCode;
    record.errorMessage = input.errorMessage ?? input.errorCode;
  }
  Object.assign(record, {
    requestParameters: input.requestParameters,
    responseElements: input.responseElements ?? null,
    additionalEventData: { ...input.additionalEventData, success: String(input.success), 'x-amzn-vpce-id': '' },
    requestID: input.context.requestId,
    eventID: input.eventId,
    readOnly: input.readOnly,
    eventType: input.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.principal.accountId,
    eventCategory: 'Management',
  });
  if (input.context.tls) record.tlsDetails = input.context.tls;
  return record;
}

/** Appends the record inside the caller's transaction: the event commits with the change or not at all. */
export async function recordAuditEvent(tx: Pick<Repos, 'audit'>, input: AuditInput): Promise<void> {
  const record = cloudTrailRecord(input);
  await tx.audit.append({
    event_id: input.eventId,
    event_time: input.eventTime,
    event_name: input.eventName,
    event_source: record.eventSource as string,
    account_id: input.principal.accountId,
    username: usernameOf(input.principal.arn),
    access_key_id: input.accessKeyId ?? null,
    read_only: input.readOnly ? 1 : 0,
    request_id: input.context.requestId,
    record: JSON.stringify(record),
  });
}
