// The browser half: the cross-device confirmation page and the console home with sign-out, and
// the registration of the rest: /v1/authorize, sign-in and MFA set-up have files of their own.
// Errors render as pages; nothing here redirects to an unchecked URL.
import type { FastifyInstance } from 'fastify';
import { decodeVerificationCode, encodeVerificationCode } from '@keyless/protocol';
import { sessionsOf } from '../authorize/endpoint.ts';
import { CONSOLE_ASSETS } from '../console/assets/index.ts';
import { MAX_CONSOLE_SESSIONS } from '../console/sign-in.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { signOutConsole } from '../console/sign-out.ts';
import { confirmationPage, homePage, signedOutPage } from '../console/views/index.ts';
import type { ConsoleSession } from '../store/store.ts';
import { authorizeRoutes } from './authorize-routes.ts';
import { formFields } from './body.ts';
import { browserOf, csrfTokenFor, type BrowserIdentity } from './browser.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { errorReply, postedForm, queryValues } from './console-forms.ts';
import { consoleMfaRoutes } from './console-mfa-routes.ts';
import { consoleSignInRoutes } from './console-sign-in-routes.ts';
import { federationRoutes } from './federation-routes.ts';
import { sendHtml } from './html-reply.ts';
import { requestContextOf } from './request-context.ts';

const MAX_FORM_BYTES = 16 * 1024;

export async function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, body, done) => {
    try {
      done(null, formFields(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'console request failed');
    return status < 500
      ? errorReply(reply, status, 'Request not accepted', 'The browser sent something Keyless could not read. Go back and try again.', request.id)
      : errorReply(reply, 500, 'Something went wrong', 'Keyless could not complete this request. Try again in a moment.', request.id);
  });
  app.setNotFoundHandler((request, reply) => errorReply(reply, 404, 'Page not found', 'There is nothing at this address.', request.id));

  for (const [path, asset] of Object.entries(CONSOLE_ASSETS)) {
    app.get(path, (request, reply) => {
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.header('etag', asset.etag).header('cache-control', 'public, max-age=300').type(asset.contentType).send(asset.body);
    });
  }

  const activeSessions = (browser: BrowserIdentity) => sessionsOf(deps, browser.digest);
  const views = (sessions: ConsoleSession[]) => sessions.map((s) => sessionViewOf(s, deps.clock.now()));

  // ---- cross-device confirmation ---------------------------------------------------------
  app.get('/v1/sessions/confirmation', async (request, reply) => {
    const query = queryValues(request);
    const code = query.code?.length === 1 ? query.code[0]! : undefined;
    const state = query.state?.length === 1 ? query.state[0]! : undefined;
    if (query.error) return errorReply(reply, 200, 'Sign-in cancelled', 'Nothing was shared with the other device. You can close this page.', request.id);
    if (!code || !state || code.length > 512 || state.length > 512) return errorReply(reply, 400, 'Nothing to confirm', 'Start again with keyless login --remote on the other device.', request.id);
    const verificationCode = encodeVerificationCode(code, state);
    if (!decodeVerificationCode(verificationCode)) return errorReply(reply, 400, 'Nothing to confirm', 'Start again with keyless login --remote.', request.id);
    return sendHtml(reply, 200, confirmationPage({ verificationCode }));
  });

  // ---- console ----------------------------------------------------------------------------
  app.get('/console', async (request, reply) => {
    const browser = browserOf(request, reply, secure);
    const sessions = await activeSessions(browser);
    return sendHtml(reply, 200, homePage({ csrfToken: csrfTokenFor(deps.csrfKey, browser), sessions: views(sessions), maxSessions: MAX_CONSOLE_SESSIONS }));
  });

  app.post('/console/signout', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const which = posted.form.session_id === 'all' ? undefined : posted.form.session_id;
    if (which === '') return reply.redirect('/console', 303);
    await signOutConsole(deps, { browserDigest: posted.browser.digest, sessionId: which, context: requestContextOf(request) });
    const remaining = (await activeSessions(posted.browser)).length;
    return sendHtml(reply, 200, signedOutPage({ remaining }));
  });

  await authorizeRoutes(app, deps);
  await consoleSignInRoutes(app, deps);
  await consoleMfaRoutes(app, deps);
  await federationRoutes(app, deps);
}
