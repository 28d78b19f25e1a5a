// Session policies (IAM User Guide, "Session policies"): the inline `Policy` must be a valid
// identity policy of at most 2,048 characters, `PolicyArns` at most 10 managed policies; the
// session can then do only what both the role's policies and these allow. AWS packs the inline
// policy, the ARNs and the session tags into one binary form with a limit of its own and answers
// `PackedPolicySize` as the percentage of it used; Keyless packs them with DEFLATE against a
// 2,048-byte limit (its own choice: AWS does not publish its format). Pure.
import { deflateRawSync } from 'node:zlib';
import { parsePolicyDocument, PolicyValidationError } from '../iam/policy/index.ts';
import { stsError } from './errors.ts';
import type { SessionTag } from './requests.ts';

export const PACKED_LIMIT_BYTES = 2048;
/** The inline session policy's quota, whitespace not counted (IAM and STS quotas). */
export const SESSION_POLICY_MAX_CHARACTERS = 2048;

export interface SessionLimits {
  policy?: string;
  policyArns?: readonly string[];
  tags?: readonly SessionTag[];
}

/** Refuses a malformed or oversized session policy; the packed size (%) when anything was given. */
export function checkSessionLimits(limits: SessionLimits): number | undefined {
  let compact: string | undefined;
  if (limits.policy !== undefined) {
    try {
      parsePolicyDocument(limits.policy, { kind: 'identity', maxSize: SESSION_POLICY_MAX_CHARACTERS });
    } catch (error) {
      if (error instanceof PolicyValidationError) throw stsError('MalformedPolicyDocument', error.message);
      throw error;
    }
    compact = JSON.stringify(JSON.parse(limits.policy));
  }
  if (compact === undefined && !limits.policyArns?.length && !limits.tags?.length) return undefined;
  const packed = deflateRawSync(JSON.stringify([compact ?? null, limits.policyArns ?? [], (limits.tags ?? []).map((t) => [t.key, t.value])])).byteLength;
  const percent = Math.ceil((packed * 100) / PACKED_LIMIT_BYTES);
  if (percent > 100) throw stsError('PackedPolicyTooLarge', `Packed size of the session policies and session tags combined exceeds the limit: ${percent}% of the allowed size.`);
  return percent;
}
