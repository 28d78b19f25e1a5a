// /v1/authorize over HTTP (the steps are authorize/endpoint.ts): the chooser page, and the two
// buttons it posts, continue and cancel. Every problem with the request is rendered by one
// function: a page while the client or its redirect URI is not known good, else an error redirect.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authorizeParamsOf, errorRedirectUrl, type AuthorizeProblem } from '../authorize/authorize-request.ts';
import { authorizeUrlOf, cancel, continueWith, isProblem, parsePosted, parseQuery, sessionsOf } from '../authorize/endpoint.ts';
import { MAX_CONSOLE_SESSIONS } from '../console/sign-in.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { chooseSessionPage, returningPage, signInUrl } from '../console/views/index.ts';
import { browserOf, csrfTokenFor } from './browser.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { AUTHORIZE_PATH, errorReply, postedForm, queryValues } from './console-forms.ts';
import { sendHtml } from './html-reply.ts';
import { requestContextOf } from './request-context.ts';

/** An authorize problem, as a page or a redirect (302 answering a GET, 303 a form POST). */
function sendProblem(reply: FastifyReply, problem: AuthorizeProblem, redirectStatus: 302 | 303): FastifyReply {
  return problem.kind === 'page' ? errorReply(reply, 400, problem.title, problem.message, reply.request.id) : reply.redirect(errorRedirectUrl(problem), redirectStatus);
}

/**
 * After a form POST, CSP `form-action` governs the redirect too; it can name 127.0.0.1 but not
 * [::1], so an IPv6 loopback client gets a page that navigates there itself.
 */
function backToClient(reply: FastifyReply, location: string): FastifyReply {
  return new URL(location).hostname === '[::1]' ? sendHtml(reply, 200, returningPage({ location })) : reply.redirect(location, 303);
}

export async function authorizeRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');

  app.get(AUTHORIZE_PATH, async (request, reply) => {
    const parsed = parseQuery(deps, queryValues(request));
    if (isProblem(parsed)) return sendProblem(reply, parsed, 302);
    const browser = browserOf(request, reply, secure);
    const sessions = await sessionsOf(deps, browser.digest);
    const returnTo = authorizeUrlOf(parsed);
    if (sessions.length === 0) return reply.redirect(signInUrl('iam', returnTo), 302);
    return sendHtml(
      reply,
      200,
      chooseSessionPage({
        csrfToken: csrfTokenFor(deps.csrfKey, browser),
        client: { kind: parsed.clientId.endsWith('same-device') ? 'same-device' : 'cross-device', redirectUri: parsed.redirectUri },
        authorizeParams: authorizeParamsOf(parsed),
        sessions: sessions.map((s) => sessionViewOf(s, deps.clock.now())),
        signInAnotherUrl: signInUrl('iam', returnTo),
        refreshUrl: returnTo,
        maxSessions: MAX_CONSOLE_SESSIONS,
      }),
    );
  });

  app.post(`${AUTHORIZE_PATH}/continue`, async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const parsed = parsePosted(deps, posted.form);
    if (isProblem(parsed)) return sendProblem(reply, parsed, 303);
    const approval = await continueWith(deps, parsed, { sessionId: posted.form.session_id ?? '', browserDigest: posted.browser.digest, context: requestContextOf(request) });
    if (approval.ok === 'choose-again') return reply.redirect(approval.location, 303);
    // A principal no policy allows gets a page, not a redirect: nothing was issued to the client.
    if (!approval.ok) return errorReply(reply, 403, 'Access denied', approval.message, request.id);
    return backToClient(reply, approval.location);
  });

  app.post(`${AUTHORIZE_PATH}/deny`, async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const parsed = parsePosted(deps, posted.form);
    if (isProblem(parsed)) return sendProblem(reply, parsed, 303);
    return backToClient(reply, await cancel(deps, parsed, { browserDigest: posted.browser.digest, context: requestContextOf(request) }));
  });
}
