// The Condition element: `{ operator: { key: value | [values] } }`, every operator known, every
// value of the type its operator compares (IAM User Guide, "Condition operators"). Values may be
// JSON strings, numbers or booleans; they are kept as strings, as AWS does.
import type { ConditionBlock, PolicyVersion } from './types.ts';
import { parseOperatorName, type OperatorFamily } from './condition-operators.ts';
import { canonicalBase64, parseBool, parseDate, parseNumber } from './condition-values.ts';
import { parseCidr } from './ip-address.ts';
import { templateSample } from './policy-variables.ts';
import { malformed, shown } from './validation-error.ts';

/** `service:name`, optionally `/qualifier` (aws:PrincipalTag/team); names are case-insensitive. */
const CONDITION_KEY = /^[A-Za-z0-9.-]+:[A-Za-z0-9_.:/+=@-]+$/;
const ARN_SHAPE = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.*$/;

/** What each family's values must be; the String and Arn families take policy variables. */
const VALUE_CHECKS: Record<OperatorFamily, { valid: (value: string, path: string, version: PolicyVersion) => boolean; expected: string }> = {
  String: { valid: (value, path, version) => (templateSample(value, path, version), true), expected: 'a string' },
  Arn: {
    valid: (value, path, version) => {
      const sample = templateSample(value, path, version);
      return sample === '*' || ARN_SHAPE.test(sample);
    },
    expected: 'an ARN (arn:partition:service:region:account:resource, with * and ? as wildcards)',
  },
  Numeric: { valid: (value) => parseNumber(value) !== undefined, expected: 'a number' },
  Date: { valid: (value) => parseDate(value) !== undefined, expected: 'an ISO 8601 date ("2026-01-31T00:00:00Z") or epoch seconds' },
  Bool: { valid: (value) => parseBool(value) !== undefined, expected: 'true or false' },
  Null: { valid: (value) => parseBool(value) !== undefined, expected: 'true (the key is absent) or false (the key is present)' },
  Binary: { valid: (value) => canonicalBase64(value) !== undefined, expected: 'base64' },
  IpAddress: { valid: (value) => parseCidr(value) !== undefined, expected: 'an IPv4 or IPv6 address or CIDR block ("203.0.113.0/24", "2001:db8::/32")' },
};

export function validateCondition(raw: unknown, path: string, version: PolicyVersion): ConditionBlock {
  const condition = objectAt(raw, path, 'an object of condition operators');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operatorName, blockValue] of Object.entries(condition)) {
    const operatorPath = `${path}.${operatorName}`;
    const operator = parseOperatorName(operatorName);
    if ('error' in operator) malformed(operatorPath, operator.error);
    const block = objectAt(blockValue, operatorPath, 'an object of condition keys and values');
    const keys = new Map<string, string>();
    const checks = VALUE_CHECKS[operator.spec.family];
    out[operatorName] = {};
    for (const [key, values] of Object.entries(block)) {
      const keyPath = `${operatorPath}.${key}`;
      if (!CONDITION_KEY.test(key)) malformed(keyPath, 'is not a condition key (expected service:name, e.g. "aws:SourceIp" or "aws:PrincipalTag/team")');
      const earlier = keys.get(key.toLowerCase());
      if (earlier !== undefined) malformed(keyPath, `repeats the key "${earlier}": condition keys are case-insensitive`);
      keys.set(key.toLowerCase(), key);
      const list = scalarList(values, keyPath);
      list.forEach((value, index) => {
        const valuePath = Array.isArray(values) ? `${keyPath}[${index}]` : keyPath;
        if (!checks.valid(value, valuePath, version)) malformed(valuePath, `must be ${checks.expected} for ${operator.base}, not ${shown(value)}`);
      });
      out[operatorName]![key] = list;
    }
  }
  return out;
}

function objectAt(value: unknown, path: string, expected: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) malformed(path, `must be ${expected}, not ${shown(value)}`);
  if (Object.keys(value).length === 0) malformed(path, 'must not be empty');
  return value as Record<string, unknown>;
}

/** A string, number or boolean, or a non-empty array of them; as strings. */
function scalarList(value: unknown, path: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) malformed(path, 'must have at least one value');
  return items.map((item, index) => {
    if (typeof item === 'string') return item;
    if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean') return String(item);
    malformed(Array.isArray(value) ? `${path}[${index}]` : path, `must be a string, number or boolean, not ${shown(item)}`);
  });
}
