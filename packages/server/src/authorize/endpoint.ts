// /v1/authorize, as the list of its steps (PROTOCOL.md §1, RFC 6749 §4.1):
//   1. parse the request (authorize-request.ts): a problem is a page or an error redirect;
//   2. find this browser's console sessions: none sends the user to sign in first;
//   3. the user chooses one (continue) and the principal is asked and a code minted
//      (issue-code.ts), or the user cancels (deny-authorization.ts);
//   4. back to the client's redirect URI.
// The HTTP routes (http/authorize-routes.ts) only map URLs, forms and pages onto these steps.
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { RequestContext } from '../request-context.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import { authorizeParamsOf, parseAuthorizeRequest, type AuthorizeProblem, type AuthorizeRequest } from './authorize-request.ts';
import { denyAuthorization } from './deny-authorization.ts';
import { approveAuthorization, type Approval } from './issue-code.ts';

export const AUTHORIZE_PATH = '/v1/authorize';

export interface AuthorizeDeps {
  store: Store;
  clock: Clock;
  random: Random;
  region: string;
  authorizer: Authorizer;
  audit: AuditTrail;
  publicUrl: string;
}

export type Parsed = AuthorizeRequest | AuthorizeProblem;
export const isProblem = (parsed: Parsed): parsed is AuthorizeProblem => 'kind' in parsed;

/** Step 1, from the query: `query` maps each name to every value given for it. */
export const parseQuery = (deps: Pick<AuthorizeDeps, 'publicUrl'>, query: Record<string, string[]>): Parsed => parseAuthorizeRequest(query, deps.publicUrl);

/** Step 1 again, for the parameters re-posted by the chooser: the form is not trusted. */
export const parsePosted = (deps: Pick<AuthorizeDeps, 'publicUrl'>, form: Record<string, string>): Parsed =>
  parseAuthorizeRequest(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, [v]])), deps.publicUrl);

/** Where this request is shown again: after signing in, or when the chosen session has ended. */
export const authorizeUrlOf = (request: AuthorizeRequest): string => `${AUTHORIZE_PATH}?${new URLSearchParams(authorizeParamsOf(request))}`;

/** Step 2: the browser's active console sessions, to choose from. */
export const sessionsOf = (deps: Pick<AuthorizeDeps, 'store' | 'clock'>, browserDigest: string): Promise<ConsoleSession[]> =>
  deps.store.read((rs) => rs.consoleSessions.listActive(browserDigest, deps.clock.now()));

/** Step 3, continue: the chosen session, if it is still this browser's and active, is asked for a code. */
export async function continueWith(
  deps: AuthorizeDeps,
  request: AuthorizeRequest,
  choice: { sessionId: string; browserDigest: string; context: RequestContext },
): Promise<Approval | { ok: 'choose-again'; location: string }> {
  const session = await deps.store.read((rs) => rs.consoleSessions.findActive(choice.sessionId, choice.browserDigest, deps.clock.now()));
  if (!session) return { ok: 'choose-again', location: authorizeUrlOf(request) };
  return approveAuthorization(deps, request, session, choice.context);
}

/** Step 3, cancel: recorded when one session can be named; returns the client's error redirect. */
export async function cancel(deps: AuthorizeDeps, request: AuthorizeRequest, choice: { browserDigest: string; context: RequestContext }): Promise<string> {
  return denyAuthorization(deps, request, await sessionsOf(deps, choice.browserDigest), choice.context);
}
