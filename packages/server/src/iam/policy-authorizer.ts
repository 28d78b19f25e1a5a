// The Authorizer backed by stored policies and the policy engine. Per check it costs one indexed
// read (the generation counters of the principal's account and of the organizations) plus the
// evaluation; the principal's compiled policy set is reused until a counter moves, which every
// policy-changing transaction does on whichever instance makes it — so a change takes effect at
// the very next check everywhere, with no cross-instance messaging.
import type { Clock } from '../clock.ts';
import type { Generations, Store } from '../store/store.ts';
import type { AuthorizationAnswer, AuthorizationQuestion, Authorizer, AuthorizerRepos } from './authorizer.ts';
import { withSessionScope } from './session-scope.ts';
import { compiledPolicies } from './compiled-policies.ts';
import { loadPrincipalPolicies, type LoadedPrincipal } from './principal-policies.ts';
import { evaluate, explain, type AuthorizationRequest, type ContextValue, type Decision } from './policy/index.ts';

export interface Simulation extends AuthorizationAnswer {
  decision?: Decision;
  /** The engine's explanation: the request as seen, the evaluation steps, every matching statement. */
  explanation: string;
}

export interface PolicyAuthorizer extends Authorizer {
  /**
   * The decision with every matching statement, for `keyless admin simulate`. `context` may set
   * any key, the clock's and MFA ones included, to ask "what if".
   */
  simulate(question: AuthorizationQuestion & { context?: Record<string, ContextValue> }): Promise<Simulation>;
}

interface Entry extends Generations {
  loaded: LoadedPrincipal;
}

export function createPolicyAuthorizer(store: Store, clock: Clock, options: { maxPrincipals?: number } = {}): PolicyAuthorizer {
  const maxPrincipals = options.maxPrincipals ?? 10_000;
  const compiled = compiledPolicies();
  const principals = new Map<string, Entry>();

  async function loaded(question: AuthorizationQuestion, repos: AuthorizerRepos): Promise<LoadedPrincipal> {
    const generations = await repos.policyState.generations(question.principal.account_id);
    const sessionArns = question.scope?.policyArns;
    const key = `${question.principal.principal_id}|${question.principal.arn}${sessionArns?.length ? `|${sessionArns.join('|')}` : ''}`;
    const entry = principals.get(key);
    if (entry && entry.account === generations.account && entry.org === generations.org) return entry.loaded;
    // Read after the counters: what is read is at least as new as the generation it is kept under.
    const fresh = await loadPrincipalPolicies(repos, question.principal, compiled, sessionArns);
    if (principals.size >= maxPrincipals && !entry) principals.delete(principals.keys().next().value!);
    principals.set(key, { ...generations, loaded: fresh });
    return fresh;
  }

  function requestOf(question: AuthorizationQuestion, loadedPrincipal: LoadedPrincipal, given: Record<string, ContextValue>, givenWins: boolean): AuthorizationRequest {
    const now = clock.now();
    // Built by assignment, not spreads: this runs on every refresh.
    // Null prototype, and only the given object's own keys: callers' context keys come from clients
    // (SimulatePrincipalPolicy's ContextEntries, IdP claims), and `__proto__` must stay a key.
    const context: Record<string, ContextValue> = Object.create(null);
    if (givenWins) setDerived(context, now, question);
    for (const key of Object.keys(given)) context[key] = given[key]!;
    if (!givenWins) setDerived(context, now, question);
    const principal = question.scope?.tags ? { ...loadedPrincipal.principal, tags: { ...loadedPrincipal.principal.tags, ...question.scope.tags } } : loadedPrincipal.principal;
    return { action: question.action, resource: question.resource, principal, context };
  }

  return {
    async authorize(question, repos) {
      const found = await loaded(question, repos);
      if (found.refusal) return { allowed: false, reason: found.refusal, effect: 'ImplicitDeny' };
      const decision = evaluate(withSessionScope(found.set, question, compiled), requestOf(question, found, question.context ?? {}, false));
      return { allowed: decision.effect === 'Allow', reason: decision.reason, effect: decision.effect };
    },

    async simulate(question) {
      const found = await store.read((repos) => loaded(question, repos));
      const request = requestOf(question, found, question.context ?? {}, true);
      if (found.refusal) return { allowed: false, reason: found.refusal, effect: 'ImplicitDeny', explanation: `ImplicitDeny: ${found.refusal}` };
      const decision = evaluate(withSessionScope(found.set, question, compiled), request, { trace: true });
      return { allowed: decision.effect === 'Allow', reason: decision.reason, effect: decision.effect, decision, explanation: explain(decision, request) };
    },
  };
}

/**
 * The keys the server knows better than any caller: the clock's, whether the session used MFA,
 * when its credentials were issued (what AWS's "revoke older sessions" policy compares) and its
 * source identity.
 */
function setDerived(context: Record<string, ContextValue>, now: number, question: AuthorizationQuestion): void {
  context['aws:CurrentTime'] = new Date(now).toISOString();
  context['aws:EpochTime'] = Math.floor(now / 1000);
  context['aws:MultiFactorAuthPresent'] = question.principal.mfa === 1;
  if (question.tokenIssuedAt !== undefined) context['aws:TokenIssueTime'] = new Date(question.tokenIssuedAt).toISOString();
  if (question.scope?.sourceIdentity !== undefined) context['aws:SourceIdentity'] = question.scope.sourceIdentity;
}
