// A role ARN as STS takes it: `arn:aws:iam::{account}:role/{path/}{name}`. Pure.
import { stsError } from './errors.ts';

export interface RoleArn {
  arn: string;
  accountId: string;
  name: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]{1,64})$/;

export function parseRoleArn(arn: string): RoleArn {
  const match = ROLE_ARN.exec(arn);
  if (!match) throw stsError('ValidationError', `${arn.slice(0, 2048)} is invalid`);
  return { arn, accountId: match[1]!, name: match[2]! };
}
