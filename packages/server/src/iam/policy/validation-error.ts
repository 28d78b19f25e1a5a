// The one error a policy document can fail with on write. `path` names the offending element the
// way a reader finds it in the JSON (`Statement[2].Condition.StringLikeX`); `code` is the IAM wire
// error the API layer serialises (MalformedPolicyDocument, or LimitExceeded for the size quotas).

export type PolicyValidationCode = 'MalformedPolicyDocument' | 'LimitExceeded';

export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';
  constructor(
    readonly code: PolicyValidationCode,
    /** Where in the document: '' for the document itself, else `Statement[1].Effect` and so on. */
    readonly path: string,
    /** What is wrong, without the path: `must be Allow or Deny, not "allow"`. */
    readonly detail: string,
  ) {
    super(path ? `${path} ${detail}` : detail);
  }
}

/** Throws MalformedPolicyDocument at `path`. */
export function malformed(path: string, detail: string): never {
  throw new PolicyValidationError('MalformedPolicyDocument', path, detail);
}

/** A value as it reads in the JSON, for messages: `"allow"`, `5`, `null`, `an object`. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** ` (did you mean X?)` when `word` differs from a candidate only in case. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const same = candidates.find((candidate) => candidate.toLowerCase() === word.toLowerCase());
  return same ? ` (did you mean ${same}?)` : '';
}
