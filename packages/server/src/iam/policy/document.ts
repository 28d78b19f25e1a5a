// A policy document (IAM User Guide, "IAM JSON policy element reference" and its grammar), parsed
// and validated strictly on write. What comes out is normalised — every list is an array, every
// condition value a string — and branded, so compilePolicy only ever sees a validated document.
import { findDuplicateKey } from './duplicate-keys.ts';
import { validateStatement } from './validate-statement.ts';
import type { PolicyDocument, PolicyKind } from './types.ts';
import { didYouMean, malformed, PolicyValidationError, shown } from './validation-error.ts';

export type { ConditionBlock, Effect, PolicyDocument, PolicyKind, PolicyStatement, PolicyVersion, PrincipalBlock, PrincipalType } from './types.ts';

/**
 * AWS's size quotas in characters, whitespace not counted (IAM User Guide, "IAM and AWS STS
 * quotas"; AWS Organizations User Guide, "Quotas"). Inline quotas are per user, group or role,
 * summed over its inline policies: a caller storing one passes what is left as `maxSize`.
 */
export const POLICY_SIZE_QUOTAS = {
  managedPolicy: 6_144,
  inlineUserPolicies: 2_048,
  inlineGroupPolicies: 5_120,
  inlineRolePolicies: 10_240,
  roleTrustPolicy: 2_048,
  serviceControlPolicy: 5_120,
} as const;

/** The longest text accepted at all (IAM's `PolicyDocument` parameter limit), before parsing. */
export const MAX_POLICY_TEXT_LENGTH = 131_072;

export interface ParsePolicyOptions {
  /** identity (managed or inline), scp, or trust (a role's trust policy). Default identity. */
  kind?: PolicyKind;
  /** Size quota; default managedPolicy, serviceControlPolicy or roleTrustPolicy by kind. */
  maxSize?: number;
}

const DEFAULT_MAX_SIZE: Record<PolicyKind, number> = {
  identity: POLICY_SIZE_QUOTAS.managedPolicy,
  scp: POLICY_SIZE_QUOTAS.serviceControlPolicy,
  trust: POLICY_SIZE_QUOTAS.roleTrustPolicy,
};

const TOP_LEVEL = ['Version', 'Id', 'Statement'];

/** Parses and validates a policy document; throws PolicyValidationError naming the element. */
export function parsePolicyDocument(text: string, options: ParsePolicyOptions = {}): PolicyDocument {
  const kind = options.kind ?? 'identity';
  if (typeof text !== 'string') malformed('', 'Policy document must be JSON text');
  if (text.length > MAX_POLICY_TEXT_LENGTH) {
    throw new PolicyValidationError('LimitExceeded', '', `Policy document is ${text.length} characters long; the most accepted is ${MAX_POLICY_TEXT_LENGTH}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    malformed('', `Policy document is not valid JSON: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) malformed('', `Policy document must be a JSON object, not ${shown(raw)}`);
  const duplicate = findDuplicateKey(text);
  if (duplicate) malformed(duplicate.path ? `${duplicate.path}.${duplicate.key}` : duplicate.key, 'appears twice in the same object; JSON would silently keep only the last');

  const size = JSON.stringify(raw).length;
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE[kind];
  if (size > maxSize) {
    throw new PolicyValidationError('LimitExceeded', '', `Policy document is ${size} characters (whitespace not counted), over the ${maxSize}-character quota`);
  }

  const document = raw as Record<string, unknown>;
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL.includes(key)) malformed(key, `is not a policy element (expected ${TOP_LEVEL.join(', ')})${didYouMean(key, TOP_LEVEL)}`);
  }
  // AWS reads a missing Version as 2008-10-17; an explicit null is not missing.
  const version = Object.hasOwn(document, 'Version') ? document.Version : '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') malformed('Version', `must be "2012-10-17" (or the legacy "2008-10-17"), not ${shown(version)}`);
  if (document.Id !== undefined && typeof document.Id !== 'string') malformed('Id', `must be a string, not ${shown(document.Id)}`);

  const statements = document.Statement;
  if (statements === undefined) malformed('Statement', 'is missing: a policy needs at least one statement');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) malformed('Statement', 'must contain at least one statement');
  const sids = new Set<string>();
  const parsed = list.map((statement, index) =>
    validateStatement(statement, Array.isArray(statements) ? `Statement[${index}]` : 'Statement', { kind, version, sids }),
  );
  return {
    kind,
    Version: version,
    ...(document.Id === undefined ? {} : { Id: document.Id as string }),
    Statement: parsed,
    size,
  } as unknown as PolicyDocument;
}
