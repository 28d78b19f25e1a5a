// IAM's input constraints (IAM API Reference, each parameter's "Length constraints" and
// "Pattern"), checked up front with AWS's ValidationError wording.
import { invalidInput, validationError } from './errors.ts';

export const NAME_PATTERN = /^[\w+=,.@-]+$/;
/** `/` or `/…/`, printable ASCII. */
const PATH_PATTERN = /^(\/|\/[\u0021-\u007e]+\/)$/;
const PATH_PREFIX_PATTERN = /^\/[\u0021-\u007e]*$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const DESCRIPTION_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
export const POLICY_ARN_PATTERN = /^arn:aws:iam::(aws|\d{12}):policy(\/|\/[\u0021-\u007e]+\/)([\w+=,.@-]{1,128})$/;

export const MAX_TAGS = 50;
export const MIN_ROLE_SESSION_SECONDS = 3600;
export const MAX_ROLE_SESSION_SECONDS = 43_200;

/** A required name: `limit` characters of `[\w+=,.@-]` (users and roles 64, groups and policies 128). */
export function checkName(parameter: string, value: string | undefined, limit: number): string {
  if (value === undefined) throw validationError(parameter, value, 'must not be null');
  if (value === '') throw validationError(parameter, value, 'must have length greater than or equal to 1');
  if (value.length > limit) throw validationError(parameter, value, `must have length less than or equal to ${limit}`);
  if (!NAME_PATTERN.test(value)) throw validationError(parameter, value, 'must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

export function checkPath(parameter: string, value: string | undefined): string {
  if (value === undefined) return '/';
  if (value.length > 512) throw validationError(parameter, value, 'must have length less than or equal to 512');
  if (!PATH_PATTERN.test(value)) throw validationError(parameter, value, 'must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  return value;
}

export function checkPathPrefix(parameter: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '/') return undefined;
  if (value.length > 512 || !PATH_PREFIX_PATTERN.test(value)) throw validationError(parameter, value, 'must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  return value;
}

export function checkDescription(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > 1000) throw validationError('description', value, 'must have length less than or equal to 1000');
  if (!DESCRIPTION_PATTERN.test(value)) throw validationError('description', value, 'must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*');
  return value;
}

export function checkTags(tags: Record<string, string> | undefined): Record<string, string> {
  const checked = tags ?? {};
  const keys = Object.keys(checked);
  if (keys.length > MAX_TAGS) throw validationError('tags', `${keys.length} tags`, `must have length less than or equal to ${MAX_TAGS}`);
  const lower = new Set<string>();
  for (const key of keys) {
    if (key.length < 1 || key.length > 128 || !TAG_KEY_PATTERN.test(key)) throw validationError('tags.member.key', key, 'must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (key.toLowerCase().startsWith('aws:')) throw invalidInput(`The tag key ${key} uses the reserved prefix aws:.`);
    if (lower.has(key.toLowerCase())) throw invalidInput(`Duplicate tag keys found: ${key}. Tag keys are case insensitive.`);
    lower.add(key.toLowerCase());
    const value = checked[key]!;
    if (value.length > 256 || !TAG_VALUE_PATTERN.test(value)) throw validationError('tags.member.value', value, 'must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  }
  return checked;
}

export function checkRoleSessionSeconds(value: number | undefined): number {
  if (value === undefined) return MIN_ROLE_SESSION_SECONDS;
  if (!Number.isInteger(value) || value < MIN_ROLE_SESSION_SECONDS || value > MAX_ROLE_SESSION_SECONDS) {
    throw validationError('maxSessionDuration', value, `must have value between ${MIN_ROLE_SESSION_SECONDS} and ${MAX_ROLE_SESSION_SECONDS}`);
  }
  return value;
}

export function checkPolicyArn(value: string | undefined): string {
  if (value === undefined || value === '') throw validationError('policyArn', value, 'must not be null');
  if (value.length > 2048 || !/^arn:/.test(value)) throw validationError('policyArn', value, 'must have length greater than or equal to 20');
  if (!POLICY_ARN_PATTERN.test(value)) throw invalidInput(`ARN ${value} is not valid.`);
  return value;
}

/** MaxItems: 1–1000, default 100. */
export function checkMaxItems(value: number | undefined): number {
  if (value === undefined) return 100;
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw validationError('maxItems', value, 'must have value between 1 and 1000');
  return value;
}
