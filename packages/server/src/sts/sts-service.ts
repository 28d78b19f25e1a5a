// STS as an AWS service of the front door (PROTOCOL.md §4), query protocol and JSON 1.0:
// GetCallerIdentity (needs no permission: AWS documents that even an explicit deny does not stop
// it), AssumeRole (signed) and AssumeRoleWithWebIdentity (unsigned, as on AWS: the token is the
// credential; a signed call is answered the same way).
import { escapeXml, type AwsService } from '../aws-api/service.ts';
import { assumeRole } from './assume-role.ts';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.ts';
import { callerIdentityOf } from './caller-identity.ts';
import type { StsDeps } from './deps.ts';
import { stsError } from './errors.ts';
import { createRoleSessionIssuer } from './issue-role-session.ts';

export const STS_VERSION = '2011-06-15';

const UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity']);

export function createStsService(deps: StsDeps): AwsService {
  const issue = createRoleSessionIssuer(deps);
  return {
    signingName: 'sts',
    query: { version: STS_VERSION, xmlns: `https://sts.amazonaws.com/doc/${STS_VERSION}/` },
    json: { targetPrefix: 'AWSSecurityTokenServiceV20110615.', contentType: 'application/x-amz-json-1.0', errorNamespace: 'com.amazonaws.sts' },
    unsigned: { operations: UNSIGNED_OPERATIONS, handle: (call) => assumeRoleWithWebIdentity(deps, issue, call) },
    async handle(call) {
      switch (call.operation) {
        case 'GetCallerIdentity': {
          const identity = callerIdentityOf(call.caller.session);
          if (call.protocol === 'json') return { json: { UserId: identity.userId, Account: identity.account, Arn: identity.arn } };
          return { xml: `    <Arn>${escapeXml(identity.arn)}</Arn>\n    <UserId>${escapeXml(identity.userId)}</UserId>\n    <Account>${identity.account}</Account>\n` };
        }
        case 'AssumeRole':
          return assumeRole(deps, issue, call);
        case 'AssumeRoleWithWebIdentity':
          return assumeRoleWithWebIdentity(deps, issue, call);
        default:
          throw stsError('InvalidAction', `Keyless's STS implements GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity, not ${call.operation}.`);
      }
    },
  };
}
