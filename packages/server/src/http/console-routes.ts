// The browser half: /v1/authorize with its session chooser, the cross-device confirmation page,
// and the console home with sign-out. Sign-in and MFA set-up are registered from their own files.
// Errors render as pages; nothing here redirects to an unchecked URL.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { decodeVerificationCode, encodeVerificationCode } from '@keyless/protocol';
import { approveAuthorization } from '../authorize/issue-code.ts';
import { denyAuthorization } from '../authorize/deny-authorization.ts';
import { authorizeParamsOf, errorRedirectUrl, parseAuthorizeRequest, type AuthorizeRequest } from '../authorize/authorize-request.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { FederationDeps } from '../federation/deps.ts';
import { CONSOLE_ASSETS } from '../console/assets/index.ts';
import { MAX_CONSOLE_SESSIONS } from '../console/sign-in.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { signOutConsole } from '../console/sign-out.ts';
import { chooseSessionPage, confirmationPage, homePage, returningPage, signedOutPage, signInUrl } from '../console/views/index.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import { formFields } from './body.ts';
import { browserOf, csrfTokenFor, type BrowserIdentity } from './browser.ts';
import { AUTHORIZE_PATH, errorReply, postedForm, queryValues } from './console-forms.ts';
import { consoleMfaRoutes } from './console-mfa-routes.ts';
import { consoleSignInRoutes } from './console-sign-in-routes.ts';
import { federationRoutes } from './federation-routes.ts';
import { sendHtml } from './html-reply.ts';
import { RateLimitExceeded } from './rate-limits.ts';
import { requestContextOf } from './request-context.ts';

export interface ConsoleDeps {
  store: Store;
  clock: Clock;
  random: Random;
  region: string;
  publicUrl: string;
  csrfKey: Buffer;
  /** Seals MFA secrets and the pending sign-ins that travel between sign-in steps. */
  sealer: Sealer;
  /** Asked for signin:AuthorizeOAuth2Access when the user continues (issue 4). */
  authorizer: Authorizer;
  /** Federated sign-in through the configured OpenID providers (issue 3). */
  federation: FederationDeps;
}

const MAX_FORM_BYTES = 16 * 1024;

export async function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, body, done) => {
    try {
      done(null, formFields(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RateLimitExceeded) return errorReply(reply, 429, 'Too many requests', 'This address sent too many requests. Wait a minute and try again.', request.id);
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

  const activeSessions = (browser: BrowserIdentity) => deps.store.consoleSessions.listActive(browser.digest, deps.clock.now());
  const views = (sessions: ConsoleSession[]) => sessions.map((s) => sessionViewOf(s, deps.clock.now()));

  // ---- /v1/authorize --------------------------------------------------------------------
  app.get(AUTHORIZE_PATH, async (request, reply) => {
    const parsed = parseAuthorizeRequest(queryValues(request), deps.publicUrl);
    if ('kind' in parsed) {
      return parsed.kind === 'page' ? errorReply(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 302);
    }
    const browser = browserOf(deps, request, reply);
    const sessions = await activeSessions(browser);
    const returnTo = `${AUTHORIZE_PATH}?${new URLSearchParams(authorizeParamsOf(parsed))}`;
    if (sessions.length === 0) return reply.redirect(signInUrl('iam', returnTo), 302);
    return sendHtml(
      reply,
      200,
      chooseSessionPage({
        csrfToken: csrfTokenFor(deps.csrfKey, browser),
        client: { kind: parsed.clientId.endsWith('same-device') ? 'same-device' : 'cross-device', redirectUri: parsed.redirectUri },
        authorizeParams: authorizeParamsOf(parsed),
        sessions: views(sessions),
        signInAnotherUrl: signInUrl('iam', returnTo),
        refreshUrl: returnTo,
        maxSessions: MAX_CONSOLE_SESSIONS,
      }),
    );
  });

  /** The authorize parameters re-posted by the chooser, validated again: the form is not trusted. */
  const postedAuthorizeRequest = (form: Record<string, string>): AuthorizeRequest | ReturnType<typeof parseAuthorizeRequest> =>
    parseAuthorizeRequest(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, [v]])), deps.publicUrl);

  app.post(`${AUTHORIZE_PATH}/continue`, async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const parsed = postedAuthorizeRequest(posted.form);
    if ('kind' in parsed) return parsed.kind === 'page' ? errorReply(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 303);
    const session = await deps.store.consoleSessions.findActive(posted.form.session_id ?? '', posted.browser.digest, deps.clock.now());
    if (!session) {
      return reply.redirect(`${AUTHORIZE_PATH}?${new URLSearchParams(authorizeParamsOf(parsed))}`, 303);
    }
    const approval = await approveAuthorization(deps, parsed, session, requestContextOf(request));
    // A principal no policy allows gets a page, not a redirect: nothing was issued to the client.
    if (!approval.ok) return errorReply(reply, 403, 'Access denied', approval.message, request.id);
    return backToClient(reply, approval.location);
  });

  app.post(`${AUTHORIZE_PATH}/deny`, async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const parsed = postedAuthorizeRequest(posted.form);
    if ('kind' in parsed) return parsed.kind === 'page' ? errorReply(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 303);
    return backToClient(reply, await denyAuthorization(deps, parsed, await activeSessions(posted.browser), requestContextOf(request)));
  });

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
    const browser = browserOf(deps, request, reply);
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

  await consoleSignInRoutes(app, deps);
  await consoleMfaRoutes(app, deps);
  await federationRoutes(app, deps);
}

/**
 * After a form POST, CSP `form-action` governs the redirect too; it can name 127.0.0.1 but not
 * [::1], so an IPv6 loopback client gets a page that navigates there itself.
 */
function backToClient(reply: FastifyReply, location: string): FastifyReply {
  return new URL(location).hostname === '[::1]' ? sendHtml(reply, 200, returningPage({ location })) : reply.redirect(location, 303);
}
