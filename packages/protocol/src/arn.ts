// ARNs of the principals Keyless signs in, and the Sign-In resources policies name.

export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;
/** IAM user and role names: `[\w+=,.@-]{1,64}`. */
export const IAM_NAME_PATTERN = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

export const userArn = (accountId: string, userName: string, path = '/') => `arn:aws:iam::${accountId}:user${path}${userName}`;
export const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;
export const roleArn = (accountId: string, roleName: string, path = '/') => `arn:aws:iam::${accountId}:role${path}${roleName}`;
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
export const oauthClientResourceArn = (region: string, accountId: string, suffix: 'localhost' | 'remote') =>
  `arn:aws:signin:${region}:${accountId}:oauth2/public-client/${suffix}`;

/** The account id of an IAM or STS principal ARN, or undefined. */
export function accountIdOfArn(arn: string): string | undefined {
  const match = /^arn:aws:(?:iam|sts)::([0-9]{12}):/.exec(arn);
  return match?.[1];
}
