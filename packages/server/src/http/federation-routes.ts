// Federated sign-in over HTTP (issue 3): "Sign in with {provider}" starts at
// /console/federation/start, the provider returns to /console/federation/callback, the user picks
// a role at /console/federation/role (or, with five sessions open, which to end at
// /console/federation/replace). Each route runs one step of federation/; a FederationError is
// rendered as a page here and nowhere else, its detail only logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_CONSOLE_SESSIONS } from '../console/open-session.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { chooseRolePage, chooseSignOutPage, errorPage, ROLE_ID_FIELD, signInUrl } from '../console/views/index.ts';
import { CALLBACK_PATH, type FederationDeps } from '../federation/deps.ts';
import { eligibleRoles } from '../federation/eligible-roles.ts';
import { FederationError, isFederationError, returningTo } from '../federation/errors.ts';
import { recordFailedFederatedSignIn } from '../federation/failed-sign-in-event.ts';
import { conditionClaims, roleSessionName } from '../federation/provider-identity.ts';
import { receiveCallback } from '../federation/receive-callback.ts';
import { openRoleChoice, ROLE_CHOICE_MS, sealRoleChoice, type RoleChoice } from '../federation/role-choice.ts';
import { noRole, roleOptionOf, signInAsRole, type RoleSessionOutcome } from '../federation/role-session.ts';
import { startFederatedSignIn } from '../federation/start-sign-in.ts';
import { browserOf, csrfTokenFor, type BrowserIdentity } from './browser.ts';
import { postedForm, queryValues, safeReturnTo, type FormContext } from './console-forms.ts';
import { sendHtml } from './html-reply.ts';
import { requestContextOf } from './request-context.ts';

const single = (values: string[] | undefined) => (values?.length === 1 ? values[0] : undefined);

const choiceExpired = () =>
  new FederationError('ChoiceExpired', 'This sign-in has expired', 'The role choice took too long or came from another browser. Start again from the Keyless sign-in page.');

export async function federationRoutes(app: FastifyInstance, deps: FormContext & { federation: FederationDeps }): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');
  const federation = deps.federation;

  /**
   * The one place a federation failure becomes a page: title and message for the user, code and
   * detail for the log, and a failed ConsoleLogin in the audit trail when it can be attributed.
   */
  const failed = async (request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<FastifyReply> => {
    if (!isFederationError(error)) throw error;
    request.log.warn({ federation: error.code, detail: error.detail }, 'federated sign-in stopped');
    await recordFailedFederatedSignIn(federation, error, requestContextOf(request));
    // Back to the sign-in page, and to the authorize request a CLI may be waiting on.
    return sendHtml(reply, error.status, errorPage({ title: error.title, message: error.message, requestId: request.id, next: { href: signInUrl('iam', error.returnTo), label: 'Sign in again' } }));
  };

  const next = (reply: FastifyReply, browser: BrowserIdentity, outcome: RoleSessionOutcome, returnTo: string | undefined) => {
    if (outcome.kind === 'signed-in') return reply.redirect(returnTo ?? '/console', 303);
    const now = federation.clock.now();
    return sendHtml(
      reply,
      200,
      chooseSignOutPage({
        csrfToken: csrfTokenFor(deps.csrfKey, browser),
        pending: outcome.pending,
        newArn: outcome.sessionArn,
        sessions: outcome.sessions.map((s) => sessionViewOf(s, now)),
        maxSessions: MAX_CONSOLE_SESSIONS,
        action: '/console/federation/replace',
      }),
    );
  };

  app.get('/console/federation/start', async (request, reply) => {
    const query = queryValues(request);
    const browser = browserOf(request, reply, secure);
    try {
      const returnTo = safeReturnTo(single(query.return_to));
      const { location } = await returningTo(returnTo, () => startFederatedSignIn(federation, { providerId: single(query.provider) ?? '', browserDigest: browser.digest, returnTo }));
      return reply.redirect(location, 303);
    } catch (error) {
      return failed(request, reply, error);
    }
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    const query = queryValues(request);
    const browser = browserOf(request, reply, secure);
    try {
      const identity = await receiveCallback(federation, { state: single(query.state), code: single(query.code), error: single(query.error), iss: single(query.iss) }, browser.digest);
      return await returningTo(identity.returnTo, async () => {
        const claims = conditionClaims(identity.claims);
        const now = federation.clock.now();
        const roles = await federation.store.read((rs) => eligibleRoles(rs, { provider: identity.provider, claims, now, sourceIp: request.ip }));
        if (roles.length === 0) {
          throw noRole(identity.provider.display_name, `no trust policy admits sub ${JSON.stringify(String(identity.claims.sub))} of ${identity.provider.arn}`).attributedTo({ provider: identity.provider, claims });
        }
        const sessionName = roleSessionName(claims);
        const choice: RoleChoice = {
          providerId: identity.provider.id,
          claims,
          roles: roles.map((role) => ({ id: role.id, name: role.name })),
          browserDigest: browser.digest,
          ...(identity.returnTo !== undefined && { returnTo: identity.returnTo }),
          expiresAt: now + ROLE_CHOICE_MS,
        };
        return sendHtml(
          reply,
          200,
          chooseRolePage({
            csrfToken: csrfTokenFor(deps.csrfKey, browser),
            providerName: identity.provider.display_name,
            signedInAs: sessionName,
            choice: sealRoleChoice(federation.sealer, choice),
            roles: roles.map((role) => roleOptionOf(role, identity.provider, sessionName)),
          }),
        );
      });
    } catch (error) {
      return failed(request, reply, error);
    }
  });

  /**
   * The picker's POST, and the sign-out chooser's when the browser had five sessions: the sealed
   * choice comes in `field`; `roleOf` says which role it is for, `endSession` which session to end.
   */
  const pickRoute = (path: string, field: string, roleOf: (choice: RoleChoice, form: Record<string, string>) => string | undefined, endSession?: (form: Record<string, string>) => string) =>
    app.post(path, async (request, reply) => {
      const posted = postedForm(deps, request, reply);
      if (!posted) return reply;
      try {
        const choice = openRoleChoice(federation.sealer, posted.form[field], posted.browser.digest, federation.clock.now());
        const roleId = choice && roleOf(choice, posted.form);
        if (!choice || roleId === undefined) throw choiceExpired();
        const outcome = await returningTo(choice.returnTo, () => signInAsRole(federation, choice, roleId, requestContextOf(request), endSession?.(posted.form)));
        return next(reply, posted.browser, outcome, choice.returnTo);
      } catch (error) {
        return failed(request, reply, error);
      }
    });
  pickRoute('/console/federation/role', 'choice', (_choice, form) => form[ROLE_ID_FIELD] ?? '');
  pickRoute('/console/federation/replace', 'pending', (choice) => choice.chosenRoleId, (form) => form.session_id ?? '');
}
