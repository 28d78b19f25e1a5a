// A validated document compiled once into closures, so evaluation parses nothing: actions and
// resources become cached wildcard matchers, conditions become tests, and only patterns holding
// policy variables are filled per request. Which statements can apply to an action is memoised
// per policy, because the set of actions a server asks about is small.
import type { Effect, PolicyDocument, PolicyKind, PolicyVersion, PrincipalBlock } from './document.ts';
import { compileConditions } from './conditions.ts';
import { constantOf, filledTemplate, hasVariables, parseTemplate, type Template } from './policy-variables.ts';
import type { RequestView } from './request-context.ts';
import { globMatcher, type Matcher } from './wildcard.ts';

/** Where an Organizations SCP is attached: the root, an OU, or an account. */
export interface ScpTarget {
  type: 'root' | 'ou' | 'account';
  id: string;
  name?: string;
}

/** Which policy a statement came from, for decisions and explanations. */
export type PolicySource =
  | { kind: 'managed'; arn: string }
  | { kind: 'inline'; name: string; on: 'user' | 'group' | 'role'; owner?: string }
  | { kind: 'scp'; id: string; name?: string; target: ScpTarget }
  | { kind: 'trust'; role: string }
  /** The inline session policy of an STS role session (AssumeRole's `Policy`). */
  | { kind: 'session'; session: string };

export interface CompiledStatement {
  /** Position in the document's Statement array. */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Action/NotAction against the lowercased action. */
  readonly matchesAction: (lowerAction: string) => boolean;
  /** Resource/NotResource and Condition (Action is checked by statementsFor). */
  readonly matches: (request: RequestView) => boolean;
  /** Trust policies only: who may assume the role. Not evaluated by `evaluate`. */
  readonly principal?: { readonly not: boolean; readonly block: PrincipalBlock };
}

export interface CompiledPolicy {
  readonly source: PolicySource;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
  /** The statements whose Action/NotAction covers the lowercased action, in document order. */
  readonly statementsFor: (lowerAction: string) => readonly CompiledStatement[];
}

const SOURCE_KINDS: Record<PolicyKind, ReadonlyArray<PolicySource['kind']>> = {
  identity: ['managed', 'inline', 'session'],
  scp: ['scp'],
  trust: ['trust'],
};

const MAX_MEMOISED_ACTIONS = 4_096;

export function compilePolicy(document: PolicyDocument, source: PolicySource): CompiledPolicy {
  checkSource(document.kind, source);
  const statements = document.Statement.map((statement, index): CompiledStatement => {
    const actions = statement.Action ?? statement.NotAction!;
    const resources = statement.Resource ?? statement.NotResource;
    const resourceTest = resources ? compileResources(resources, statement.NotResource !== undefined, document.Version) : always;
    const conditionTest = statement.Condition ? compileConditions(statement.Condition, document.Version) : undefined;
    const principal = statement.Principal ?? statement.NotPrincipal;
    return {
      index,
      sid: statement.Sid,
      effect: statement.Effect,
      matchesAction: compileActions(actions, statement.NotAction !== undefined),
      matches: conditionTest ? (request) => resourceTest(request) && conditionTest(request) : resourceTest,
      ...(principal ? { principal: { not: statement.NotPrincipal !== undefined, block: principal } } : {}),
    };
  });
  const memo = new Map<string, readonly CompiledStatement[]>();
  const statementsFor = (lowerAction: string) => {
    let found = memo.get(lowerAction);
    if (found === undefined) {
      if (memo.size >= MAX_MEMOISED_ACTIONS) memo.clear();
      found = statements.filter((statement) => statement.matchesAction(lowerAction));
      memo.set(lowerAction, found);
    }
    return found;
  };
  return { source, document, statements, statementsFor };
}

/** The same compiled policy under another source: one SCP attached at several targets. */
export function withSource(policy: CompiledPolicy, source: PolicySource): CompiledPolicy {
  checkSource(policy.document.kind, source);
  return { ...policy, source };
}

function checkSource(kind: PolicyKind, source: PolicySource) {
  if (!SOURCE_KINDS[kind].includes(source.kind)) throw new TypeError(`A ${kind} policy document cannot have a ${source.kind} source`);
}

const always = () => true;

// Loops rather than `.some(…)`: evaluation must not allocate a closure per check.
function anyMatches(matchers: readonly Matcher[], value: string): boolean {
  for (const matches of matchers) if (matches(value)) return true;
  return false;
}

function compileActions(actions: readonly string[], negated: boolean): (lowerAction: string) => boolean {
  const matchers = actions.map((action) => globMatcher(action, 'action'));
  const any = actions.includes('*') ? always : (lowerAction: string) => anyMatches(matchers, lowerAction);
  return negated ? (lowerAction) => !any(lowerAction) : any;
}

function compileResources(resources: readonly string[], negated: boolean, version: PolicyVersion): (request: RequestView) => boolean {
  const matchers: Matcher[] = [];
  const perRequest: Array<(request: RequestView) => Matcher | undefined> = [];
  for (const resource of resources) {
    const template: Template = version === '2012-10-17' ? (parseTemplate(resource) as Template) : [{ kind: 'text', text: resource }];
    if (hasVariables(template)) perRequest.push(filledTemplate(template, true, (glob) => globMatcher(glob, 'arn')));
    else matchers.push(globMatcher(constantOf(template, true), 'arn'));
  }
  let any: (request: RequestView) => boolean;
  if (!negated && resources.includes('*')) any = always;
  else if (perRequest.length === 0) any = (request) => anyMatches(matchers, request.resource);
  else {
    any = (request) => {
      if (anyMatches(matchers, request.resource)) return true;
      // A variable without a value matches nothing (IAM User Guide, "Policy variables with no value").
      for (const matcherFor of perRequest) if (matcherFor(request)?.(request.resource)) return true;
      return false;
    };
  }
  return negated ? (request) => !any(request) : any;
}
