// The AWS-managed policies Keyless ships, as the document text IAM would return for them. Their
// ARNs are AWS's (account `aws`), so policies written against AWS attach here unchanged.
// FullAWSAccess is an SCP (AWS Organizations attaches it to every root, OU and account by default);
// the others are identity-based. Each is AWS's published document (the default version named
// beside it), except ReadOnlyAccess: AWS's lists several hundred services, and Keyless keeps the
// statements' actions for the services it answers (IAM, STS, CloudTrail, Sign-In), as AWS words
// them — the others could grant nothing here.
import type { PolicyKind } from './document.ts';

export const SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN = 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess';
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const IAM_FULL_ACCESS_ARN = 'arn:aws:iam::aws:policy/IAMFullAccess';
export const CLOUDTRAIL_READ_ONLY_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';
export const CLOUDTRAIL_FULL_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSCloudTrail_FullAccess';
export const IAM_READ_ONLY_ACCESS_ARN = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
export const POWER_USER_ACCESS_ARN = 'arn:aws:iam::aws:policy/PowerUserAccess';
export const READ_ONLY_ACCESS_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
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
  // IAMReadOnlyAccess v4.
  [
    IAM_READ_ONLY_ACCESS_ARN,
    document([
      {
        Effect: 'Allow',
        Action: ['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'],
        Resource: '*',
      },
    ]),
  ],
  // PowerUserAccess v12 (AWS's managed-policy reference, edited 2026-02-12): everything but IAM,
  // Organizations and Account, and of those a few reads.
  [
    POWER_USER_ACCESS_ARN,
    document([
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation',
          'account:GetGovCloudAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeEffectivePolicy',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ]),
  ],
  // AWSCloudTrail_FullAccess v3.
  [
    CLOUDTRAIL_FULL_ACCESS_ARN,
    document([
      { Effect: 'Allow', Action: ['sns:AddPermission', 'sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:GetTopicAttributes'], Resource: ['arn:aws:sns:*:*:aws-cloudtrail-logs*'] },
      { Effect: 'Allow', Action: ['sns:ListTopics'], Resource: '*' },
      { Effect: 'Allow', Action: ['s3:CreateBucket', 's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock'], Resource: ['arn:aws:s3:::aws-cloudtrail-logs*'] },
      { Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation', 's3:GetBucketPolicy'], Resource: '*' },
      { Effect: 'Allow', Action: 'cloudtrail:*', Resource: '*' },
      { Effect: 'Allow', Action: ['logs:CreateLogGroup'], Resource: ['arn:aws:logs:*:*:log-group:aws-cloudtrail-logs*'] },
      { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'], Resource: ['arn:aws:iam::*:role/service-role/CloudTrailRoleForCloudWatchLogs*'] },
      { Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } } },
      { Effect: 'Allow', Action: ['kms:CreateKey', 'kms:CreateAlias', 'kms:ListKeys', 'kms:ListAliases'], Resource: '*' },
      { Effect: 'Allow', Action: ['lambda:ListFunctions'], Resource: '*' },
      { Effect: 'Allow', Action: ['dynamodb:ListGlobalTables', 'dynamodb:ListTables'], Resource: '*' },
    ]),
  ],
  // ReadOnlyAccess: its actions for IAM, STS, CloudTrail and Sign-In (see the top of this file).
  [
    READ_ONLY_ACCESS_ARN,
    document([
      {
        Sid: 'ReadOnlyActions',
        Effect: 'Allow',
        Action: [
          'cloudtrail:Describe*',
          'cloudtrail:Get*',
          'cloudtrail:List*',
          'cloudtrail:LookupEvents',
          'iam:Generate*',
          'iam:Get*',
          'iam:List*',
          'iam:Simulate*',
          'signin:DescribeTrustedIdentityPropagationApplicationsForConsole',
          'signin:ListTrustedIdentityPropagationApplicationsForConsole',
          'sts:GetAccessKeyInfo',
        ],
        Resource: '*',
      },
    ]),
  ],
  [FULL_AWS_ACCESS_ARN, document([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
]);

/** What to validate an AWS-managed policy as: SCPs live under `organizations`, the rest are IAM's. */
export const managedPolicyKind = (arn: string): PolicyKind => (arn.startsWith('arn:aws:organizations:') ? 'scp' : 'identity');
