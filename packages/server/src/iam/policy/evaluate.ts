// AWS's evaluation logic for a request within one account (IAM User Guide, "Policy evaluation
// logic"), for the policy types Keyless has:
//  1. an explicit Deny in any applicable policy — SCP, permissions boundary or identity — wins;
//  2. with Organizations (unless this is the management account, which SCPs never restrict),
//     every level of the SCP path, root → OUs → account, must have an Allow that matches;
//  3. a permissions boundary, when set, must allow too, and so must the session policies of an STS
//     role session, when it was given any (the session's permissions are the intersection);
//  4. the root user needs no identity-based policy;
//  5. otherwise an identity-based policy (inline or managed, on the user, its groups, or the role)
//     must allow; failing that, the request is implicitly denied.
import type { CompiledPolicy, CompiledStatement, PolicySource } from './compile.ts';
import { describeSource, describeStatement, describeTarget } from './describe.ts';
import type { Effect } from './document.ts';
import { RequestView, type AuthorizationRequest } from './request-context.ts';

export interface PolicySet {
  /** Inline and managed policies of the user and its groups, or of the role. */
  identityPolicies: readonly CompiledPolicy[];
  /** SCPs by level: the root's, each OU's from the top down, the account's. Each level must allow. */
  scpPath: readonly (readonly CompiledPolicy[])[];
  /** False for the management account (and for accounts outside an organization). */
  subjectToScps: boolean;
  /** The account's root user; must agree with `principal.type === 'Root'`. */
  isRoot: boolean;
  /** A managed policy set as the user's or role's permissions boundary. */
  permissionsBoundary?: CompiledPolicy;
  /**
   * An STS role session's session policies (AssumeRole's `Policy` and `PolicyArns`): when set,
   * one of them must allow too — they limit the role's permissions, never add to them.
   */
  sessionPolicies?: readonly CompiledPolicy[];
}

export type DecisionEffect = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** The step of the evaluation logic that decided (numbered as in the comment at the top). */
export type EvaluationStep = 'explicitDeny' | 'scps' | 'permissionsBoundary' | 'sessionPolicies' | 'root' | 'identityPolicies';

export interface StatementRef {
  policy: PolicySource;
  sid?: string;
  statementIndex: number;
}

export interface MatchedStatement extends StatementRef {
  effect: Effect;
  /** Where the policy sits in the evaluation. */
  role: 'scp' | 'permissionsBoundary' | 'session' | 'identity';
}

export interface Decision {
  effect: DecisionEffect;
  step: EvaluationStep;
  /** The statement that decided: the Deny, or the identity policy's Allow. */
  decidedBy?: StatementRef;
  /** One sentence: "Denied by SCP p-… on OU ou-… (statement DenyOutsideUS)." */
  reason: string;
  /** With `trace`: every statement that matched, in evaluation order. */
  matched?: MatchedStatement[];
}

export interface EvaluateOptions {
  /** Collect every matching statement (for `keyless admin simulate`); slower. */
  trace?: boolean;
}

interface Hit {
  readonly policy: CompiledPolicy;
  readonly statement: CompiledStatement;
}

interface Scan {
  deny: Hit | undefined;
  allow: Hit | undefined;
}

export function evaluate(set: PolicySet, request: AuthorizationRequest, options: EvaluateOptions = {}): Decision {
  if (set.isRoot !== (request.principal.type === 'Root')) {
    throw new TypeError(`PolicySet.isRoot is ${set.isRoot} but the principal's type is ${request.principal.type}`);
  }
  const view = new RequestView(request);
  const matched: MatchedStatement[] | undefined = options.trace ? [] : undefined;
  // No closures in here: each would be allocated (and, under esbuild's keepNames, named) per call.
  let firstDeny: Hit | undefined;

  let unallowedLevel: number | undefined;
  if (set.subjectToScps) {
    for (let level = 0; level < set.scpPath.length; level++) {
      const scan = scanPolicies(set.scpPath[level]!, 'scp', view, matched);
      if (scan.deny && !matched) return explicitDeny(scan.deny);
      firstDeny ??= scan.deny;
      if (!scan.allow) unallowedLevel ??= level;
    }
  }
  let boundaryAllows = true;
  if (set.permissionsBoundary && !set.isRoot) {
    const scan = scanPolicies([set.permissionsBoundary], 'permissionsBoundary', view, matched);
    if (scan.deny && !matched) return explicitDeny(scan.deny);
    firstDeny ??= scan.deny;
    boundaryAllows = scan.allow !== undefined;
  }
  let sessionAllows = true;
  if (set.sessionPolicies) {
    const scan = scanPolicies(set.sessionPolicies, 'session', view, matched);
    if (scan.deny && !matched) return explicitDeny(scan.deny);
    firstDeny ??= scan.deny;
    sessionAllows = scan.allow !== undefined;
  }
  const identity = scanPolicies(set.identityPolicies, 'identity', view, matched);
  firstDeny ??= identity.deny;
  if (firstDeny) return traced(explicitDeny(firstDeny), matched);

  const what = `${request.action} on ${request.resource}`;
  if (unallowedLevel !== undefined) {
    return traced({ effect: 'ImplicitDeny', step: 'scps', reason: `Implicitly denied: ${what} is not allowed by the SCPs at ${describeLevel(set.scpPath, unallowedLevel)}.` }, matched);
  }
  if (set.isRoot) {
    const scps = set.subjectToScps ? 'and the SCPs allow it' : 'and this account is not subject to SCPs';
    return traced({ effect: 'Allow', step: 'root', reason: `Allowed: the root user needs no identity-based policy, ${scps}.` }, matched);
  }
  if (!boundaryAllows) {
    return traced({ effect: 'ImplicitDeny', step: 'permissionsBoundary', reason: `Implicitly denied: the permissions boundary ${describeSource(set.permissionsBoundary!.source)} does not allow ${what}.` }, matched);
  }
  if (!sessionAllows) {
    return traced({ effect: 'ImplicitDeny', step: 'sessionPolicies', reason: `Implicitly denied: no session policy allows ${what}.` }, matched);
  }
  if (identity.allow) {
    const { policy, statement } = identity.allow;
    return traced({ effect: 'Allow', step: 'identityPolicies', decidedBy: refOf(identity.allow), reason: `Allowed by ${describeSource(policy.source)} (${describeStatement(statement.sid, statement.index)}).` }, matched);
  }
  return traced({ effect: 'ImplicitDeny', step: 'identityPolicies', reason: `Implicitly denied: no identity-based policy allows ${what}.` }, matched);
}

const EXPECTED_SOURCES: Record<MatchedStatement['role'], ReadonlyArray<PolicySource['kind']>> = {
  scp: ['scp'],
  permissionsBoundary: ['managed'],
  session: ['managed', 'session'],
  identity: ['managed', 'inline'],
};

/**
 * The first matching Deny and first matching Allow among `policies`. Without a trace it stops at a
 * Deny (nothing can outrank it) and skips Allow statements once one has matched.
 */
function scanPolicies(policies: readonly CompiledPolicy[], role: MatchedStatement['role'], view: RequestView, matched: MatchedStatement[] | undefined): Scan {
  const scan: Scan = { deny: undefined, allow: undefined };
  const expected = EXPECTED_SOURCES[role];
  for (const policy of policies) {
    if (!expected.includes(policy.source.kind)) throw new TypeError(`A ${policy.source.kind} policy cannot be used as ${role}`);
    for (const statement of policy.statementsFor(view.lowerAction)) {
      if (statement.effect === 'Allow' && scan.allow && !matched) continue;
      if (!statement.matches(view)) continue;
      if (matched) matched.push(matchOf(policy, statement, role));
      if (statement.effect === 'Allow') scan.allow ??= { policy, statement };
      else {
        scan.deny ??= { policy, statement };
        if (!matched) return scan;
      }
    }
  }
  return scan;
}

function matchOf(policy: CompiledPolicy, statement: CompiledStatement, role: MatchedStatement['role']): MatchedStatement {
  const match: MatchedStatement = { policy: policy.source, statementIndex: statement.index, effect: statement.effect, role };
  if (statement.sid !== undefined) match.sid = statement.sid;
  return match;
}

function traced(decision: Decision, matched: MatchedStatement[] | undefined): Decision {
  if (matched) decision.matched = matched;
  return decision;
}

function refOf({ policy, statement }: Hit): StatementRef {
  return statement.sid === undefined
    ? { policy: policy.source, statementIndex: statement.index }
    : { policy: policy.source, sid: statement.sid, statementIndex: statement.index };
}

function explicitDeny(hit: Hit): Decision {
  return {
    effect: 'ExplicitDeny',
    step: 'explicitDeny',
    decidedBy: refOf(hit),
    reason: `Denied by ${describeSource(hit.policy.source)} (${describeStatement(hit.statement.sid, hit.statement.index)}).`,
  };
}

function describeLevel(path: PolicySet['scpPath'], level: number): string {
  const source = path[level]?.[0]?.source;
  if (source?.kind === 'scp') return describeTarget(source.target);
  return `level ${level + 1} of the organization path (no SCP is attached there)`;
}
