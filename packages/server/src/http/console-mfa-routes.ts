// MFA set-up from the console: GET /console/mfa?session=ID shows the state for that session's
// principal; POST /console/mfa/start makes a new secret; POST /console/mfa/confirm turns it on
// with the first code. Only a session of this browser (cookie + CSRF) reaches its principal.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditedBy } from '../audit/iam-events.ts';
import { sessionActor } from '../audit/identity.ts';
import { confirmMfaEnrolment, mfaStatusOf, startMfaEnrolment } from '../console/mfa.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { mfaSetupPage, type MfaSetupPageModel } from '../console/views/index.ts';
import type { ConsoleSession, Principal } from '../store/store.ts';
import { browserOf, csrfTokenFor, type BrowserIdentity } from './browser.ts';
import { errorReply, postedForm, queryValues } from './console-forms.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { sendHtml } from './html-reply.ts';
import { requestContextOf } from './request-context.ts';

/** The signed-in principal making the change through this request, as its IAM record names them. */
const consoleRequest = (request: FastifyRequest, session: ConsoleSession): AuditedBy => ({ actor: sessionActor(session), context: requestContextOf(request) });

const mfaPath = (sessionId: string, extra: Record<string, string> = {}) => `/console/mfa?${new URLSearchParams({ session: sessionId, ...extra })}`;

export async function consoleMfaRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');

  /** The session (of this browser, active) and its principal; roles have no MFA device of their own. */
  const subjectOf = async (browser: BrowserIdentity, sessionId: string | undefined): Promise<{ session: ConsoleSession; principal: Principal } | undefined> => {
    const session = sessionId ? await deps.store.read((rs) => rs.consoleSessions.findActive(sessionId, browser.digest, deps.clock.now())) : undefined;
    const principal = session && (await deps.store.read((rs) => rs.directory.findPrincipal(session.principal_id)));
    return session && principal ? { session, principal } : undefined;
  };

  const render = async (reply: FastifyReply, browser: BrowserIdentity, subject: { session: ConsoleSession; principal: Principal }, status: number, extra: Pick<MfaSetupPageModel, 'error' | 'notice'> = {}) => {
    const mfa = await mfaStatusOf(deps, subject.principal);
    return sendHtml(
      reply,
      status,
      mfaSetupPage({
        csrfToken: csrfTokenFor(deps.csrfKey, browser),
        session: sessionViewOf(subject.session, deps.clock.now()),
        status: mfa.state === 'pending' ? mfa : { state: mfa.state },
        ...extra,
      }),
    );
  };

  const gone = (reply: FastifyReply, requestId: string) =>
    errorReply(reply, 404, 'Session not found', 'That session has ended or belongs to another browser. Open the console to see your sessions.', requestId);

  app.get('/console/mfa', async (request, reply) => {
    const query = queryValues(request);
    const browser = browserOf(request, reply, secure);
    const subject = await subjectOf(browser, query.session?.[0]);
    if (!subject) return gone(reply, request.id);
    const notice = query.enabled?.[0] === '1' ? 'Done. Keep the authenticator app: from now on you need its code to sign in.' : undefined;
    return render(reply, browser, subject, 200, { notice });
  });

  app.post('/console/mfa/start', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const subject = await subjectOf(posted.browser, posted.form.session_id);
    if (!subject) return gone(reply, request.id);
    // False when a device is already on: the page then simply shows that.
    await startMfaEnrolment(deps, subject.principal, consoleRequest(request, subject.session));
    return reply.redirect(mfaPath(subject.session.id), 303);
  });

  app.post('/console/mfa/confirm', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const subject = await subjectOf(posted.browser, posted.form.session_id);
    if (!subject) return gone(reply, request.id);
    const result = await confirmMfaEnrolment(deps, subject.principal, (posted.form.code ?? '').slice(0, 32), consoleRequest(request, subject.session));
    if (result.ok) return reply.redirect(mfaPath(subject.session.id, { enabled: '1' }), 303);
    return render(reply, posted.browser, subject, result.status, { error: result.message });
  });
}
