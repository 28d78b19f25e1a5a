// The condition operators of the IAM policy language (IAM User Guide, "IAM JSON policy elements:
// Condition operators") and how an operator's name decomposes: an optional set qualifier
// (`ForAnyValue:` / `ForAllValues:`), the operator, and an optional `IfExists` suffix.
import { didYouMean } from './validation-error.ts';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** The positive comparison an operator makes; negated operators invert it (NOR over values). */
export type Comparison =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'like'
  | 'numericEquals'
  | 'lessThan'
  | 'lessThanEquals'
  | 'greaterThan'
  | 'greaterThanEquals'
  | 'bool'
  | 'binaryEquals'
  | 'inCidr'
  | 'arnLike'
  | 'null';

export interface OperatorSpec {
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  readonly negated: boolean;
}

const spec = (family: OperatorFamily, comparison: Comparison, negated = false): OperatorSpec => ({ family, comparison, negated });

export const OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: spec('String', 'equals'),
  StringNotEquals: spec('String', 'equals', true),
  StringEqualsIgnoreCase: spec('String', 'equalsIgnoreCase'),
  StringNotEqualsIgnoreCase: spec('String', 'equalsIgnoreCase', true),
  StringLike: spec('String', 'like'),
  StringNotLike: spec('String', 'like', true),
  NumericEquals: spec('Numeric', 'numericEquals'),
  NumericNotEquals: spec('Numeric', 'numericEquals', true),
  NumericLessThan: spec('Numeric', 'lessThan'),
  NumericLessThanEquals: spec('Numeric', 'lessThanEquals'),
  NumericGreaterThan: spec('Numeric', 'greaterThan'),
  NumericGreaterThanEquals: spec('Numeric', 'greaterThanEquals'),
  DateEquals: spec('Date', 'numericEquals'),
  DateNotEquals: spec('Date', 'numericEquals', true),
  DateLessThan: spec('Date', 'lessThan'),
  DateLessThanEquals: spec('Date', 'lessThanEquals'),
  DateGreaterThan: spec('Date', 'greaterThan'),
  DateGreaterThanEquals: spec('Date', 'greaterThanEquals'),
  Bool: spec('Bool', 'bool'),
  BinaryEquals: spec('Binary', 'binaryEquals'),
  IpAddress: spec('IpAddress', 'inCidr'),
  NotIpAddress: spec('IpAddress', 'inCidr', true),
  // AWS documents ArnEquals and ArnLike (and their negations) as the same component-wise match.
  ArnEquals: spec('Arn', 'arnLike'),
  ArnLike: spec('Arn', 'arnLike'),
  ArnNotEquals: spec('Arn', 'arnLike', true),
  ArnNotLike: spec('Arn', 'arnLike', true),
  Null: spec('Null', 'null'),
};

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  readonly name: string;
  readonly base: string;
  readonly qualifier: SetQualifier | undefined;
  readonly ifExists: boolean;
  readonly spec: OperatorSpec;
}

/** Decomposes an operator name, or answers why it is not one. */
export function parseOperatorName(name: string): ParsedOperator | { error: string } {
  let rest = name;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') {
      return { error: `is not a condition operator: the only qualifiers are ForAnyValue: and ForAllValues:${didYouMean(prefix, ['ForAnyValue', 'ForAllValues'])}` };
    }
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const found = Object.hasOwn(OPERATORS, base) ? OPERATORS[base] : undefined;
  if (!found) return { error: `is not a condition operator${didYouMean(base, Object.keys(OPERATORS))}` };
  if (found.family === 'Null' && ifExists) return { error: 'is not a condition operator: Null tests presence itself and has no IfExists form' };
  if (found.family === 'Null' && qualifier) return { error: `is not a condition operator: Null takes no ${qualifier}: qualifier` };
  return { name, base, qualifier, ifExists, spec: found };
}
