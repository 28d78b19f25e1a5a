// The constraints AWS's STS model puts on each parameter (length and pattern), checked before
// anything else, and refused as AWS words it: "1 validation error detected: Value 'x' at
// 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:
// [\w+=,.@-]*". Every failing constraint is reported, as AWS does. Sensitive values (the web
// identity token) are never echoed. Pure.
import { stsError } from './errors.ts';

export interface StringConstraint {
  /** The member name in AWS's messages (camelCase). */
  member: string;
  min?: number;
  max?: number;
  /** The pattern as the model writes it, and a RegExp matching the whole value. */
  pattern?: { text: string; regexp: RegExp };
  sensitive?: boolean;
}

const pattern = (text: string, regexp: RegExp) => ({ text, regexp });

const ARN_PATTERN = pattern('[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+', /^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u);
const NAME_PATTERN = pattern('[\\w+=,.@-]*', /^[\w+=,.@-]*$/);

export const STS_PARAMETERS = {
  RoleArn: { member: 'roleArn', min: 20, max: 2048, pattern: ARN_PATTERN },
  RoleSessionName: { member: 'roleSessionName', min: 2, max: 64, pattern: NAME_PATTERN },
  WebIdentityToken: { member: 'webIdentityToken', min: 4, max: 20_000, sensitive: true },
  ProviderId: { member: 'providerId', min: 4, max: 2048 },
  ExternalId: { member: 'externalId', min: 2, max: 1224, pattern: pattern('[\\w+=,.@:\\/-]*', /^[\w+=,.@:/-]*$/) },
  Policy: { member: 'policy', min: 1, max: 2048, pattern: pattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+', /^[\u0009\u000A\u000D\u0020-\u00FF]+$/) },
  PolicyArn: { member: 'policyArns.member.arn', min: 20, max: 2048, pattern: ARN_PATTERN },
  SerialNumber: { member: 'serialNumber', min: 9, max: 256, pattern: pattern('[\\w+=/:,.@-]*', /^[\w+=/:,.@-]*$/) },
  TokenCode: { member: 'tokenCode', min: 6, max: 6, pattern: pattern('[\\d]*', /^\d*$/) },
  SourceIdentity: { member: 'sourceIdentity', min: 2, max: 64, pattern: NAME_PATTERN },
  TagKey: { member: 'tags.member.key', min: 1, max: 128, pattern: pattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+', /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u) },
  TagValue: { member: 'tags.member.value', min: 0, max: 256, pattern: pattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*', /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u) },
  TransitiveTagKey: { member: 'transitiveTagKeys.member', min: 1, max: 128, pattern: pattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+', /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u) },
} as const satisfies Record<string, StringConstraint>;

/** Lists: at most this many members (the model's and the STS quotas'). */
export const LIST_LIMITS = { PolicyArns: 10, Tags: 50, TransitiveTagKeys: 50 } as const;

export const DURATION = { min: 900, max: 43_200, default: 3600 } as const;

/** Collects the constraint failures of one request; `done()` throws them as one ValidationError. */
export class Violations {
  private readonly found: string[] = [];

  string(constraint: StringConstraint, value: string | undefined, required = false): string | undefined {
    if (value === undefined) {
      if (required) this.found.push(`Value null at '${constraint.member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    const shown = constraint.sensitive ? 'Value' : `Value '${value}'`;
    const length = [...value].length;
    if (constraint.min !== undefined && length < constraint.min) this.found.push(`${shown} at '${constraint.member}' failed to satisfy constraint: Member must have length greater than or equal to ${constraint.min}`);
    if (constraint.max !== undefined && length > constraint.max) this.found.push(`${shown} at '${constraint.member}' failed to satisfy constraint: Member must have length less than or equal to ${constraint.max}`);
    if (constraint.pattern && !constraint.pattern.regexp.test(value)) this.found.push(`${shown} at '${constraint.member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${constraint.pattern.text}`);
    return value;
  }

  integer(member: string, value: string | undefined, range: { min: number; max: number }): number | undefined {
    if (value === undefined) return undefined;
    if (!/^-?\d{1,10}$/.test(value)) {
      this.found.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must be an integer`);
      return undefined;
    }
    const n = Number(value);
    if (n < range.min) this.found.push(`Value '${n}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`);
    if (n > range.max) this.found.push(`Value '${n}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`);
    return n;
  }

  listLength(member: string, length: number, max: number): void {
    if (length > max) this.found.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }

  add(message: string): void {
    this.found.push(message);
  }

  done(): void {
    if (this.found.length === 0) return;
    const n = this.found.length;
    throw stsError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${this.found.join('; ')}`);
  }
}
