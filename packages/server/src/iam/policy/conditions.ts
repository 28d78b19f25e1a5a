// Condition operators compiled into tests (IAM User Guide, "Condition operators" and "Conditions
// with multiple context keys or values"):
//  - operators in a Condition AND; keys in one operator AND; values of one key OR — for negated
//    operators (StringNotEquals, NotIpAddress, …) NOR: the value must match none of them;
//  - a key missing from the request: false, except true for negated operators ("If the policy
//    condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the
//    right key is not present, the condition is true") and for …IfExists; Null tests presence;
//  - ForAnyValue: some request value satisfies the operator; false for a missing or empty key.
//    ForAllValues: every request value does; true for a missing or empty key. An empty string is an
//    empty set for both, as AWS documents;
//  - an operator without a qualifier on a multi-valued key: some value matches (negated: none does).
import type { ConditionBlock, PolicyVersion } from './document.ts';
import { parseOperatorName, type OperatorSpec, type ParsedOperator } from './condition-operators.ts';
import { canonicalBase64, parseBool, parseDate, parseNumber } from './condition-values.ts';
import { cidrContains, parseCidr, parseIpAddress, type CidrBlock, type IpAddress } from './ip-address.ts';
import { constantOf, filledTemplate, hasVariables, parseTemplate, type Template } from './policy-variables.ts';
import type { ContextValue, RequestView } from './request-context.ts';
import { globMatcher, type GlobMode } from './wildcard.ts';

export type ConditionTest = (request: RequestView) => boolean;
type Scalar = string | number | boolean;
/** Does one request value match any of the policy's values (the positive form of the operator)? */
type ValueTest = (value: Scalar, request: RequestView) => boolean;

/** All of a statement's conditions as one test, or undefined when it has none. */
export function compileConditions(block: ConditionBlock, version: PolicyVersion): ConditionTest | undefined {
  const tests: ConditionTest[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) tests.push(compileCondition(operator, key, values, version));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (request) => {
    for (const test of tests) if (!test(request)) return false;
    return true;
  };
}

/** One `operator: { key: values }` pair of a validated document. */
export function compileCondition(operatorName: string, key: string, values: readonly string[], version: PolicyVersion): ConditionTest {
  const operator = parseOperatorName(operatorName);
  if ('error' in operator) throw new TypeError(`${operatorName} ${operator.error}`);
  const lowerKey = key.toLowerCase();
  if (operator.spec.comparison === 'null') return nullTest(lowerKey, key, values);
  return withKeySemantics(operator, lowerKey, key, valueTest(operator.spec, values, version));
}

function isPresent(raw: ContextValue): boolean {
  return raw !== undefined && !(Array.isArray(raw) && raw.length === 0);
}

function nullTest(lowerKey: string, key: string, values: readonly string[]): ConditionTest {
  const wantAbsent = values.map((value) => parseBool(value) === true);
  return (request) => {
    const present = isPresent(request.get(lowerKey, key));
    for (const absent of wantAbsent) if (absent !== present) return true;
    return false;
  };
}

function withKeySemantics(operator: ParsedOperator, lowerKey: string, key: string, test: ValueTest): ConditionTest {
  const { negated } = operator.spec;
  const { ifExists } = operator;
  const whenMissing = ifExists || negated;
  switch (operator.qualifier) {
    case undefined:
      return (request) => {
        const raw = request.get(lowerKey, key);
        if (raw === undefined) return whenMissing;
        if (!Array.isArray(raw)) return test(raw as Scalar, request) !== negated;
        if (raw.length === 0) return whenMissing;
        for (const value of raw) if (test(value, request)) return !negated;
        return negated;
      };
    case 'ForAnyValue':
      return (request) => {
        const values = setOf(request.get(lowerKey, key));
        if (values.length === 0) return ifExists;
        for (const value of values) if (test(value, request) !== negated) return true;
        return false;
      };
    case 'ForAllValues':
      return (request) => {
        for (const value of setOf(request.get(lowerKey, key))) if (test(value, request) === negated) return false;
        return true;
      };
  }
}

const EMPTY: readonly Scalar[] = [];

/** A key's values as a set: missing, `[]` and `""` are the empty set. */
function setOf(raw: ContextValue): readonly Scalar[] {
  if (raw === undefined || raw === '') return EMPTY;
  return Array.isArray(raw) ? raw : [raw as Scalar];
}

const asString = (value: Scalar) => (typeof value === 'string' ? value : String(value));

function valueTest(spec: OperatorSpec, values: readonly string[], version: PolicyVersion): ValueTest {
  const comparison = spec.comparison;
  switch (comparison) {
    case 'null':
      throw new TypeError('Null is a presence test, not a value comparison');
    case 'equals':
      return stringEquals(values, version, (text) => text);
    case 'equalsIgnoreCase':
      return stringEquals(values, version, (text) => text.toLowerCase());
    case 'like':
      return globTest(values, version, 'string');
    case 'arnLike':
      return globTest(values, version, 'arn');
    case 'numericEquals':
    case 'lessThan':
    case 'lessThanEquals':
    case 'greaterThan':
    case 'greaterThanEquals':
      return orderedTest(comparison, values, spec.family === 'Date' ? parseDate : parseNumber);
    case 'bool': {
      const wanted = values.map((value) => parseBool(value));
      return (value) => {
        const actual = parseBool(value);
        return actual !== undefined && wanted.includes(actual);
      };
    }
    case 'binaryEquals': {
      const wanted = values.map((value) => canonicalBase64(value));
      return (value) => {
        const actual = canonicalBase64(value);
        return actual !== undefined && wanted.includes(actual);
      };
    }
    case 'inCidr': {
      const blocks = values.map((value) => parseCidr(value)).filter((block): block is CidrBlock => block !== undefined);
      return (value) => {
        const address = ipOf(value);
        if (address === undefined) return false;
        for (const block of blocks) if (cidrContains(block, address)) return true;
        return false;
      };
    }
  }
}

/** A value's template; under 2008-10-17 there are no variables, the text is all policy text. */
function templateOf(value: string, version: PolicyVersion): Template {
  if (version === '2008-10-17') return [{ kind: 'text', text: value }];
  const template = parseTemplate(value);
  if ('error' in template) throw new TypeError(`${value} ${template.error}`);
  return template;
}

/**
 * A key's policy values, each compiled by `build`: constants now, values with variables once per
 * distinct variable values (a value whose variable has no value matches nothing).
 */
function compileValues<T>(values: readonly string[], version: PolicyVersion, glob: boolean, build: (text: string) => T) {
  const constants: T[] = [];
  const perRequest: Array<(request: RequestView) => T | undefined> = [];
  for (const value of values) {
    const template = templateOf(value, version);
    if (hasVariables(template)) perRequest.push(filledTemplate(template, glob, build));
    else constants.push(build(constantOf(template, glob)));
  }
  return { constants, perRequest };
}

function stringEquals(values: readonly string[], version: PolicyVersion, normalise: (text: string) => string): ValueTest {
  const { constants, perRequest } = compileValues(values, version, false, normalise);
  const wanted = new Set(constants);
  return (value, request) => {
    const actual = normalise(asString(value));
    if (wanted.has(actual)) return true;
    for (const filled of perRequest) if (filled(request) === actual) return true;
    return false;
  };
}

function globTest(values: readonly string[], version: PolicyVersion, mode: GlobMode): ValueTest {
  const { constants, perRequest } = compileValues(values, version, true, (glob) => globMatcher(glob, mode));
  return (value, request) => {
    const actual = asString(value);
    for (const matches of constants) if (matches(actual)) return true;
    for (const matcherFor of perRequest) if (matcherFor(request)?.(actual)) return true;
    return false;
  };
}

type Ordered = 'numericEquals' | 'lessThan' | 'lessThanEquals' | 'greaterThan' | 'greaterThanEquals';
const ORDER: Record<Ordered, (actual: number, wanted: number) => boolean> = {
  numericEquals: (a, b) => a === b,
  lessThan: (a, b) => a < b,
  lessThanEquals: (a, b) => a <= b,
  greaterThan: (a, b) => a > b,
  greaterThanEquals: (a, b) => a >= b,
};

/** Numeric* and Date* (dates compare as milliseconds); the family decides how values parse. */
function orderedTest(comparison: Ordered, values: readonly string[], parse: (value: unknown) => number | undefined): ValueTest {
  const compare = ORDER[comparison];
  const wanted = values.map((value) => parse(value)).filter((n): n is number => n !== undefined);
  return (value) => {
    const actual = parse(value);
    if (actual === undefined) return false;
    for (const n of wanted) if (compare(actual, n)) return true;
    return false;
  };
}

let lastIpText: string | undefined;
let lastIp: IpAddress | undefined;

/** The request's address; the last one parsed is kept, as every check of a request asks for it. */
function ipOf(value: Scalar): IpAddress | undefined {
  if (typeof value !== 'string') return undefined;
  if (value !== lastIpText) {
    lastIpText = value;
    lastIp = parseIpAddress(value);
  }
  return lastIp;
}
