// The AWS-managed policies Keyless ships, as the document text IAM would return for them. Their
// ARNs are AWS's (account `aws`), so policies written against AWS attach here unchanged.
// FullAWSAccess is an SCP (AWS Organizations attaches it to every root, OU and account by default);
// the others are identity-based.
import type { PolicyKind } from './document.ts';

export const SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN = 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess';
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const IAM_FULL_ACCESS_ARN = 'arn:aws:iam::aws:policy/IAMFullAccess';
export const CLOUDTRAIL_READ_ONLY_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';
export const FULL_AWS_ACCESS_ARN = 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess';
/** The policy id AWS Organizations gives FullAWSAccess. */
export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';

const document = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

/** AWS-managed policy ARN → document text. */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, string> = new Map([
  [
    SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN,
    document([
      {
        Sid: 'AllowLocalDevelopmentSignIn',
        Effect: 'Allow',
        Action: ['signin:AuthorizeOAuth2Access', 'signin:CreateOAuth2Token'],
        Resource: 'arn:aws:signin:*:*:oauth2/public-client/*',
      },
    ]),
  ],
  [ADMINISTRATOR_ACCESS_ARN, document([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
  [IAM_FULL_ACCESS_ARN, document([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }])],
  [
    CLOUDTRAIL_READ_ONLY_ACCESS_ARN,
    document([
      {
        Effect: 'Allow',
        Action: ['cloudtrail:LookupEvents', 'cloudtrail:Get*', 'cloudtrail:Describe*', 'cloudtrail:List*'],
        Resource: '*',
      },
    ]),
  ],
  [FULL_AWS_ACCESS_ARN, document([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
]);

/** What to validate an AWS-managed policy as: SCPs live under `organizations`, the rest are IAM's. */
export const managedPolicyKind = (arn: string): PolicyKind => (arn.startsWith('arn:aws:organizations:') ? 'scp' : 'identity');
