// One statement of a policy document, checked element by element (IAM User Guide, "Grammar of the
// IAM JSON policy language"). What each policy kind allows:
//  - identity and SCP: Action|NotAction and Resource|NotResource required, no Principal (an
//    identity policy applies to whoever it is attached to; AWS: "Policy document should not specify
//    a principal");
//  - trust (a role's trust policy): Principal|NotPrincipal required, no Resource (the role is the
//    resource), and only the STS actions that act on a role.
import type { Effect, PolicyKind, PolicyStatement, PolicyVersion, PrincipalBlock, PrincipalType } from './types.ts';
import { templateSample } from './policy-variables.ts';
import { validateCondition } from './validate-condition.ts';
import { didYouMean, malformed, shown } from './validation-error.ts';
import { globMatcher } from './wildcard.ts';

export interface StatementContext {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  /** Sids seen so far: IAM requires them unique within a policy. */
  readonly sids: Set<string>;
}

const ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const SID = /^[A-Za-z0-9]*$/;
const ACTION = /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/;
/** arn:partition:service:region:account:resource — six components, the last may hold colons. */
const ARN_SHAPE = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

/** The actions a trust policy may name (AWS: "AssumeRole policy may only specify STS AssumeRole actions"). */
export const TRUST_POLICY_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithWebIdentity',
  'sts:AssumeRoleWithSAML',
  'sts:TagSession',
  'sts:SetSourceIdentity',
  'sts:SetContext',
];

export function validateStatement(raw: unknown, path: string, context: StatementContext): PolicyStatement {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) malformed(path, `must be an object, not ${shown(raw)}`);
  const statement = raw as Record<string, unknown>;
  for (const key of Object.keys(statement)) {
    if (!ELEMENTS.includes(key)) malformed(`${path}.${key}`, `is not a statement element (expected one of ${ELEMENTS.join(', ')})${didYouMean(key, ELEMENTS)}`);
  }
  const at = (element: string) => `${path}.${element}`;

  const sid = statement.Sid;
  if (sid !== undefined) {
    if (typeof sid !== 'string' || !SID.test(sid)) malformed(at('Sid'), `must contain only letters and digits, not ${shown(sid)}`);
    if (sid !== '' && context.sids.has(sid)) malformed(at('Sid'), `"${sid}" is used by an earlier statement; Sids must be unique within a policy`);
    context.sids.add(sid);
  }

  const effect = statement.Effect;
  if (effect === undefined) malformed(at('Effect'), 'is missing: a statement needs Effect Allow or Deny');
  if (effect !== 'Allow' && effect !== 'Deny') malformed(at('Effect'), `must be Allow or Deny, not ${shown(effect)}`);

  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { Effect: effect as Effect };
  if (sid !== undefined && sid !== '') out.Sid = sid as string;

  const action = exactlyOne(statement, path, 'Action', 'NotAction', true);
  if (action) out[action] = actionList(statement[action], at(action), context.kind);

  const resource = exactlyOne(statement, path, 'Resource', 'NotResource', context.kind !== 'trust');
  if (resource && context.kind === 'trust') malformed(at(resource), 'is not allowed in a trust policy: the role the policy belongs to is the resource');
  if (resource) out[resource] = resourceList(statement[resource], at(resource), context.version);

  const principal = exactlyOne(statement, path, 'Principal', 'NotPrincipal', context.kind === 'trust');
  if (principal && context.kind !== 'trust') {
    malformed(at(principal), `is not allowed in ${context.kind === 'scp' ? 'a service control policy' : 'an identity-based policy'}: it applies to the principals it is attached to`);
  }
  if (principal) out[principal] = principalBlock(statement[principal], at(principal));

  if (statement.Condition !== undefined) out.Condition = validateCondition(statement.Condition, at('Condition'), context.version);
  return out;
}

/** Which of the element or its Not form is present; both is an error, neither too when required. */
function exactlyOne<A extends string, B extends string>(statement: Record<string, unknown>, path: string, a: A, b: B, required: boolean): A | B | undefined {
  const hasA = statement[a] !== undefined;
  const hasB = statement[b] !== undefined;
  if (hasA && hasB) malformed(`${path}.${b}`, `cannot be used together with ${a} in one statement`);
  if (!hasA && !hasB && required) malformed(`${path}.${a}`, `is missing: a statement needs ${a} or ${b}`);
  return hasA ? a : hasB ? b : undefined;
}

/** A string or a non-empty array of strings. */
function stringList(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) malformed(path, `must be a string or an array of strings, not ${shown(value)}`);
  if (value.length === 0) malformed(path, 'must not be an empty array');
  value.forEach((item, index) => {
    if (typeof item !== 'string') malformed(`${path}[${index}]`, `must be a string, not ${shown(item)}`);
  });
  return value as string[];
}

function itemPath(value: unknown, path: string, index: number) {
  return Array.isArray(value) ? `${path}[${index}]` : path;
}

function actionList(value: unknown, path: string, kind: PolicyKind): string[] {
  const actions = stringList(value, path);
  actions.forEach((action, index) => {
    const where = itemPath(value, path, index);
    if (action !== '*' && !ACTION.test(action)) malformed(where, `must be "*" or service:Action (e.g. "s3:GetObject"), with * and ? as wildcards, not ${shown(action)}`);
    if (kind === 'trust') {
      const matches = globMatcher(action, 'action');
      if (action === '*' || !action.toLowerCase().startsWith('sts:') || !TRUST_POLICY_ACTIONS.some((allowed) => matches(allowed.toLowerCase()))) {
        malformed(where, `must name an action a trust policy allows (${TRUST_POLICY_ACTIONS.join(', ')}), not ${shown(action)}`);
      }
    }
  });
  return actions;
}

function resourceList(value: unknown, path: string, version: PolicyVersion): string[] {
  const resources = stringList(value, path);
  resources.forEach((resource, index) => {
    const where = itemPath(value, path, index);
    const sample = templateSample(resource, where, version);
    if (sample !== '*' && !ARN_SHAPE.test(sample)) {
      malformed(where, `must be "*" or an ARN (arn:partition:service:region:account:resource, with * and ? as wildcards), not ${shown(resource)}`);
    }
  });
  return resources;
}

const PRINCIPAL_TYPES: PrincipalType[] = ['AWS', 'Federated', 'Service'];
const AWS_PRINCIPAL = /^(?:\*|[0-9]{12}|arn:aws[a-z-]*:(?:iam::[0-9]{12}:(?:root|user\/.+|role\/.+)|sts::[0-9]{12}:(?:assumed-role\/.+\/.+|federated-user\/.+)))$/;
const FEDERATED_PRINCIPAL = /^(?:arn:aws[a-z-]*:iam::[0-9]{12}:(?:oidc-provider|saml-provider)\/.+|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/\S*)?)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;
const PRINCIPAL_SHAPES: Record<PrincipalType, { pattern: RegExp; expected: string }> = {
  AWS: { pattern: AWS_PRINCIPAL, expected: '"*", a 12-digit account id, or an IAM/STS principal ARN without wildcards' },
  Federated: { pattern: FEDERATED_PRINCIPAL, expected: 'an OIDC/SAML provider ARN or a provider host name such as "accounts.google.com"' },
  Service: { pattern: SERVICE_PRINCIPAL, expected: 'a service principal such as "ec2.amazonaws.com"' },
};

function principalBlock(value: unknown, path: string): PrincipalBlock {
  if (value === '*') return '*';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) malformed(path, `must be "*" or an object of AWS, Federated or Service principals, not ${shown(value)}`);
  const block = value as Record<string, unknown>;
  const keys = Object.keys(block);
  if (keys.length === 0) malformed(path, 'must name at least one principal');
  const out: { [type in PrincipalType]?: string[] } = {};
  for (const key of keys) {
    if (!PRINCIPAL_TYPES.includes(key as PrincipalType)) malformed(`${path}.${key}`, `is not a principal type a trust policy accepts (expected ${PRINCIPAL_TYPES.join(', ')})${didYouMean(key, PRINCIPAL_TYPES)}`);
    const type = key as PrincipalType;
    const principals = stringList(block[type], `${path}.${type}`);
    principals.forEach((principal, index) => {
      if (!PRINCIPAL_SHAPES[type].pattern.test(principal)) malformed(itemPath(block[type], `${path}.${type}`, index), `must be ${PRINCIPAL_SHAPES[type].expected}, not ${shown(principal)}`);
    });
    out[type] = principals;
  }
  return out;
}
