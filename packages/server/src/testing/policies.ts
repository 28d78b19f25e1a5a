// Builders the policy tests share: documents from objects, principals, requests and policy sets.
import { compilePolicy, type CompiledPolicy, type PolicySource, type ScpTarget } from '../iam/policy/compile.ts';
import { parsePolicyDocument, type PolicyKind } from '../iam/policy/document.ts';
import { evaluate, type Decision, type PolicySet } from '../iam/policy/evaluate.ts';
import type { AuthorizationRequest, ContextValue, RequestPrincipal } from '../iam/policy/request-context.ts';

export const ACCOUNT = '111122223333';

export const alice: RequestPrincipal = {
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  type: 'IAMUser',
  userId: 'AIDAEXAMPLEALICE',
  username: 'alice',
  tags: { Team: 'platform' },
};

export const bob: RequestPrincipal = { ...alice, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, userId: 'AIDAEXAMPLEBOB', username: 'bob', tags: {} };

export const deployRole: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci-run-7`,
  accountId: ACCOUNT,
  type: 'AssumedRole',
  userId: 'AROAEXAMPLEDEPLOY:ci-run-7',
  tags: { Team: 'release' },
};

export const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, type: 'Root', userId: ACCOUNT };

/** Parses (validating) and compiles a document given as an object. */
export function policy(document: object, source: PolicySource = { kind: 'inline', name: 'test', on: 'user', owner: 'alice' }): CompiledPolicy {
  const kind: PolicyKind = source.kind === 'scp' ? 'scp' : source.kind === 'trust' ? 'trust' : 'identity';
  return compilePolicy(parsePolicyDocument(JSON.stringify(document), { kind }), source);
}

export const statements = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

export function scp(id: string, target: ScpTarget, ...Statement: object[]): CompiledPolicy {
  return policy({ Version: '2012-10-17', Statement }, { kind: 'scp', id, target });
}

export const ORG_ROOT: ScpTarget = { type: 'root', id: 'r-abcd' };
export const OU: ScpTarget = { type: 'ou', id: 'ou-abcd-11111111', name: 'Engineering' };
export const ACCOUNT_TARGET: ScpTarget = { type: 'account', id: ACCOUNT };

export const fullAccess = (target: ScpTarget) => scp('p-FullAWSAccess', target, { Effect: 'Allow', Action: '*', Resource: '*' });

/** A three-level path of FullAWSAccess, with extra SCPs per level. */
export function scpPath(extra: { root?: CompiledPolicy[]; ou?: CompiledPolicy[]; account?: CompiledPolicy[] } = {}): CompiledPolicy[][] {
  return [
    [fullAccess(ORG_ROOT), ...(extra.root ?? [])],
    [fullAccess(OU), ...(extra.ou ?? [])],
    [fullAccess(ACCOUNT_TARGET), ...(extra.account ?? [])],
  ];
}

export function request(action: string, resource: string, principal: RequestPrincipal = alice, context: Record<string, ContextValue> = {}): AuthorizationRequest {
  return { action, resource, principal, context };
}

export function identitySet(...identityPolicies: CompiledPolicy[]): PolicySet {
  return { identityPolicies, scpPath: [], subjectToScps: false, isRoot: false };
}

/** Does one Allow statement with this Condition allow `test:Act` on `*`? */
export function conditionHolds(condition: object, context: Record<string, ContextValue> = {}, principal: RequestPrincipal = alice, version = '2012-10-17'): boolean {
  const compiled = policy({ Version: version, Statement: [{ Effect: 'Allow', Action: 'test:Act', Resource: '*', Condition: condition }] });
  const decision: Decision = evaluate(
    { identityPolicies: [compiled], scpPath: [], subjectToScps: false, isRoot: principal.type === 'Root' },
    request('test:Act', '*', principal, context),
  );
  return decision.step === 'identityPolicies' && decision.effect === 'Allow';
}
