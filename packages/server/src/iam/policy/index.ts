// The IAM policy language and evaluator: parse and validate on write, compile once, evaluate per
// request. Pure: no I/O, no clock (aws:CurrentTime and aws:EpochTime come in the request context).
export {
  MAX_POLICY_TEXT_LENGTH,
  POLICY_SIZE_QUOTAS,
  parsePolicyDocument,
  type ConditionBlock,
  type Effect,
  type ParsePolicyOptions,
  type PolicyDocument,
  type PolicyKind,
  type PolicyStatement,
  type PolicyVersion,
  type PrincipalBlock,
  type PrincipalType,
} from './document.ts';
export { PolicyValidationError, type PolicyValidationCode } from './validation-error.ts';
export { TRUST_POLICY_ACTIONS } from './validate-statement.ts';
export { OPERATORS, type OperatorFamily } from './condition-operators.ts';
export { compilePolicy, withSource, type CompiledPolicy, type CompiledStatement, type PolicySource, type ScpTarget } from './compile.ts';
export {
  evaluate,
  type Decision,
  type DecisionEffect,
  type EvaluateOptions,
  type EvaluationStep,
  type MatchedStatement,
  type PolicySet,
  type StatementRef,
} from './evaluate.ts';
export type { AuthorizationRequest, ContextValue, PrincipalKind, RequestPrincipal } from './request-context.ts';
export { explain } from './simulate.ts';
export {
  ADMINISTRATOR_ACCESS_ARN,
  AWS_MANAGED_POLICIES,
  CLOUDTRAIL_READ_ONLY_ACCESS_ARN,
  FULL_AWS_ACCESS_ARN,
  FULL_AWS_ACCESS_ID,
  IAM_FULL_ACCESS_ARN,
  SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN,
  managedPolicyKind,
} from './managed-policies.ts';
