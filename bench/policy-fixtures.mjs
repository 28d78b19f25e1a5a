// The policy benchmark's workload (issue 4): one IAM user with 10 attached policies of 10
// statements each — realistic mixes of services, wildcard actions and resources, 1–2 conditions
// per statement, a few Denies and policy variables — under a 3-level SCP path (FullAWSAccess at
// the root, FullAWSAccess plus a region-deny SCP at the OU, FullAWSAccess plus guardrails at the
// account), and ten request shapes that end in Allow, ExplicitDeny and ImplicitDeny.

export const ACCOUNT = '111122223333';

const SERVICES = [
  { service: 's3', actions: ['s3:GetObject', 's3:PutObject', 's3:List*', 's3:Get*'], resource: (i) => [`arn:aws:s3:::team-${i}-*`, `arn:aws:s3:::team-${i}-*/*`] },
  { service: 'ec2', actions: ['ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances'], resource: () => [`arn:aws:ec2:*:${ACCOUNT}:instance/*`] },
  { service: 'dynamodb', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGet*'], resource: (i) => [`arn:aws:dynamodb:*:${ACCOUNT}:table/app-${i}*`] },
  { service: 'lambda', actions: ['lambda:InvokeFunction', 'lambda:Get*'], resource: (i) => [`arn:aws:lambda:*:${ACCOUNT}:function:svc-${i}-*`] },
  { service: 'logs', actions: ['logs:PutLogEvents', 'logs:CreateLogStream', 'logs:Describe*'], resource: () => [`arn:aws:logs:*:${ACCOUNT}:log-group:/app/*`] },
  { service: 'kms', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resource: () => [`arn:aws:kms:*:${ACCOUNT}:key/*`] },
  { service: 'sqs', actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:Get*'], resource: (i) => [`arn:aws:sqs:*:${ACCOUNT}:queue-${i}?`] },
  { service: 'iam', actions: ['iam:*AccessKey*', 'iam:GetUser', 'iam:ChangePassword'], resource: () => ['arn:aws:iam::*:user/${aws:username}'] },
  { service: 'cloudtrail', actions: ['cloudtrail:LookupEvents', 'cloudtrail:Describe*', 'cloudtrail:List*'], resource: () => ['*'] },
  { service: 'signin', actions: ['signin:AuthorizeOAuth2Access', 'signin:CreateOAuth2Token'], resource: () => ['arn:aws:signin:*:*:oauth2/public-client/*'] },
];

const CONDITIONS = [
  { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1', 'us-east-1'] } },
  { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] } },
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { StringLike: { 'aws:PrincipalTag/Team': ['platform', 'data*'] } },
  { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': '43200' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/*` } },
  { StringEqualsIfExists: { 'signin:OAuthClientId': ['arn:aws:signin:::devtools/same-device', 'arn:aws:signin:::devtools/cross-device'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Owner'] } },
  { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
];

/** Statement j of policy i: rotating through services and conditions; every tenth is a Deny. */
function statement(i, j) {
  const { actions, resource } = SERVICES[(i + j) % SERVICES.length];
  const deny = j === 9;
  const conditions = [CONDITIONS[(i * 3 + j) % CONDITIONS.length]];
  if ((i + j) % 2 === 0) conditions.push(CONDITIONS[(i * 7 + j + 1) % CONDITIONS.length]);
  const condition = Object.assign({}, ...conditions.map((c) => structuredClone(c)));
  return {
    Sid: `P${i}S${j}`,
    Effect: deny ? 'Deny' : 'Allow',
    Action: deny ? [actions[0].replace(/:.*/, ':Delete*'), actions[0].replace(/:.*/, ':Put*Policy')] : actions.slice(0, 2 + (j % 2)),
    Resource: resource(i),
    Condition: deny ? { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } : condition,
  };
}

export const identityPolicies = Array.from({ length: 10 }, (_, i) => ({
  arn: `arn:aws:iam::${ACCOUNT}:policy/team-${i}`,
  document: { Version: '2012-10-17', Statement: Array.from({ length: 10 }, (_, j) => statement(i, j)) },
}));

const fullAWSAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const regionDeny = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyAllOutsideEU',
      Effect: 'Deny',
      NotAction: ['cloudfront:*', 'iam:*', 'organizations:*', 'route53:*', 'support:*', 'sts:*', 'signin:*', 'cloudtrail:LookupEvents'],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
        ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass'] },
      },
    },
  ],
};

const accountGuardrails = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'StayInOrg', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    { Sid: 'KeepTrails', Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*' },
    { Sid: 'NoPublicBuckets', Effect: 'Deny', Action: 's3:PutBucketPublicAccessBlock', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/Team': 'security' } } },
  ],
};

export const scpLevels = [
  { target: { type: 'root', id: 'r-abcd' }, policies: [{ id: 'p-FullAWSAccess', document: fullAWSAccess }] },
  {
    target: { type: 'ou', id: 'ou-abcd-11111111', name: 'Engineering' },
    policies: [
      { id: 'p-FullAWSAccess', document: fullAWSAccess },
      { id: 'p-regions', document: regionDeny },
    ],
  },
  {
    target: { type: 'account', id: ACCOUNT },
    policies: [
      { id: 'p-FullAWSAccess', document: fullAWSAccess },
      { id: 'p-guardrails', document: accountGuardrails },
    ],
  },
];

export const principal = {
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  type: 'IAMUser',
  userId: 'AIDAEXAMPLEALICE',
  username: 'alice',
  tags: { Team: 'platform', CostCenter: '42' },
};

const context = (extra = {}) => ({
  'aws:SourceIp': '10.1.2.3',
  'aws:CurrentTime': '2026-03-01T12:00:00Z',
  'aws:EpochTime': 1772366400,
  'aws:MultiFactorAuthPresent': true,
  'aws:MultiFactorAuthAge': 600,
  'aws:RequestedRegion': 'eu-west-1',
  ...extra,
});

/** Ten request shapes; `expect` is checked once before measuring. */
export const requests = [
  { expect: 'Allow', action: 's3:GetObject', resource: 'arn:aws:s3:::team-0-reports/2026/q1.csv', context: context() },
  { expect: 'Allow', action: 'ec2:DescribeInstances', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`, context: context() },
  { expect: 'Allow', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, context: context({ 'aws:RequestedRegion': 'us-east-1' }) },
  { expect: 'Allow', action: 'dynamodb:Query', resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/app-2-orders`, context: context() },
  {
    expect: 'Allow',
    action: 'signin:CreateOAuth2Token',
    resource: `arn:aws:signin:us-east-1:${ACCOUNT}:oauth2/public-client/localhost`,
    context: context({ 'aws:RequestedRegion': 'us-east-1', 'signin:OAuthClientId': 'arn:aws:signin:::devtools/same-device', 'signin:OAuthGrantType': 'refresh_token' }),
  },
  { expect: 'Allow', action: 'cloudtrail:LookupEvents', resource: '*', context: context({ 'aws:RequestedRegion': 'us-west-2' }) },
  { expect: 'ExplicitDeny', action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-61`, context: context({ 'aws:RequestedRegion': 'us-east-1' }) },
  { expect: 'ExplicitDeny', action: 'cloudtrail:StopLogging', resource: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org`, context: context() },
  { expect: 'ImplicitDeny', action: 'lambda:CreateFunction', resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:svc-1-x`, context: context() },
  { expect: 'ExplicitDeny', action: 's3:DeleteObject', resource: 'arn:aws:s3:::team-1-data/old.csv', context: context({ 'aws:SourceIp': '198.51.100.7', 'aws:MultiFactorAuthPresent': false }) },
];
