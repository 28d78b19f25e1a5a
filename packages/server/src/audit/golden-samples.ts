// The golden CloudTrail records of reference/cloudtrail-samples/ (docs/PROTOCOL.md §5), for tests.
import { readdirSync, readFileSync } from 'node:fs';
import type { AuditInput } from './cloudtrail-record.ts';

export const SAMPLES = new URL('../../../../reference/cloudtrail-samples/', import.meta.url);

export const sampleNames = (): string[] => readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

export const sample = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, SAMPLES), 'utf8')) as Record<string, any>;

/** The record builder's input for a sample: the sample's own principal, times, ids, client and TLS session. */
export function inputOf(golden: Record<string, any>): AuditInput {
  const identity = golden.userIdentity;
  return {
    eventName: golden.eventName,
    readOnly: golden.readOnly,
    principal: {
      principalId: identity.principalId,
      accountId: identity.accountId,
      arn: identity.arn,
      sessionCreatedAt: Date.parse(identity.sessionContext.attributes.creationDate),
      mfa: identity.sessionContext.attributes.mfaAuthenticated === 'true',
    },
    region: golden.awsRegion,
    context: { requestId: golden.requestID, sourceIp: golden.sourceIPAddress, userAgent: golden.userAgent, tls: golden.tlsDetails },
    eventId: golden.eventID,
    eventTime: Date.parse(golden.eventTime),
    requestParameters: golden.requestParameters,
    success: golden.additionalEventData.success === 'true',
  };
}
