// STS as an AWS service of the front door: GetCallerIdentity (PROTOCOL.md §4), query protocol
// and JSON 1.0. It needs no permission: AWS documents that even an explicit deny does not stop it.
import { AwsServiceError } from '../aws-api/errors.ts';
import { escapeXml, type AwsService } from '../aws-api/service.ts';
import { callerIdentityOf } from './caller-identity.ts';

export const STS_VERSION = '2011-06-15';

export const stsService: AwsService = {
  signingName: 'sts',
  query: { version: STS_VERSION, xmlns: `https://sts.amazonaws.com/doc/${STS_VERSION}/` },
  json: { targetPrefix: 'AWSSecurityTokenServiceV20110615.', contentType: 'application/x-amz-json-1.0', errorNamespace: 'com.amazonaws.sts' },
  async handle({ operation, protocol, caller }) {
    if (operation !== 'GetCallerIdentity') {
      throw new AwsServiceError('InvalidAction', `Keyless's STS implements GetCallerIdentity only, not ${operation}.`);
    }
    const identity = callerIdentityOf(caller.session);
    if (protocol === 'json') return { json: { UserId: identity.userId, Account: identity.account, Arn: identity.arn } };
    return { xml: `    <Arn>${escapeXml(identity.arn)}</Arn>\n    <UserId>${escapeXml(identity.userId)}</UserId>\n    <Account>${identity.account}</Account>\n` };
  },
};
