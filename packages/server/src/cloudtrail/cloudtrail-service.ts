// CloudTrail as an AWS service of the front door: LookupEvents, JSON 1.1, SigV4 with signing
// name `cloudtrail`, allowed by `cloudtrail:LookupEvents` through the Authorizer, and scoped to
// the caller's own account. `aws cloudtrail lookup-events --endpoint-url …` and
// @aws-sdk/client-cloudtrail work unchanged (PROTOCOL.md §5).
import type { Clock } from '../clock.ts';
import type { Sealer } from '../crypto/sealer.ts';
import { AwsServiceError } from '../aws-api/errors.ts';
import { callerPrincipal, type AwsService } from '../aws-api/service.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { Store } from '../store/store.ts';
import { lookupEvents, parseLookupEventsRequest } from './lookup-events.ts';

/** botocore sends the model's full target prefix; the JS SDK v3 sends the short one. */
export const CLOUDTRAIL_TARGET_PREFIXES = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'CloudTrail_20131101.'] as const;

export interface CloudTrailDeps {
  /** Its repositories also answer the authorizer's reads (LookupEvents runs in no transaction). */
  store: Store;
  sealer: Sealer;
  clock: Clock;
  authorizer: Authorizer;
}

export function createCloudTrailService(deps: CloudTrailDeps): AwsService {
  return {
    signingName: 'cloudtrail',
    json: {
      targetPrefix: CLOUDTRAIL_TARGET_PREFIXES[0],
      alternateTargetPrefixes: CLOUDTRAIL_TARGET_PREFIXES.slice(1),
      contentType: 'application/x-amz-json-1.1',
      errorNamespace: 'com.amazonaws.cloudtrail.v20131101',
    },
    async handle({ operation, input, caller, context }) {
      if (operation !== 'LookupEvents') {
        throw new AwsServiceError('UnsupportedOperationException', `Keyless's CloudTrail implements LookupEvents only, not ${operation}.`);
      }
      // Validation first, as CloudTrail: a malformed request is refused whoever sends it.
      const request = parseLookupEventsRequest(input as Record<string, unknown>);
      const { session } = caller;
      const question = {
        ...callerPrincipal(caller),
        action: 'cloudtrail:LookupEvents',
        resource: '*',
        context: { 'aws:SourceIp': context.sourceIp, 'aws:RequestedRegion': caller.region, 'aws:PrincipalAccount': session.account_id },
      };
      const answer = await deps.store.read((repos) => deps.authorizer.authorize(question, repos));
      if (!answer.allowed) {
        throw new AwsServiceError(
          'AccessDeniedException',
          `User: ${session.arn} is not authorized to perform: cloudtrail:LookupEvents because ${answer.reason.replace(/\.$/, '')}`,
        );
      }
      return { json: await lookupEvents(deps, session.account_id, request, deps.clock.now()) };
    },
  };
}
