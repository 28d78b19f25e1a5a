// The browser half: console sign-in and sign-out, /v1/authorize with its session chooser, and the
// cross-device confirmation page. Errors render as pages; nothing here redirects to an unchecked URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeVerificationCode, encodeVerificationCode } from '@keyless/protocol';
import { approveAuthorization } from '../authorize/issue-code.ts';
import { authorizeParamsOf, errorRedirectUrl, parseAuthorizeRequest, type AuthorizeRequest } from '../authorize/authorize-request.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import { CONSOLE_ASSETS } from '../console/assets/index.ts';
import { MAX_CONSOLE_SESSIONS, signInWithPassword, type Credentials } from '../console/sign-in.ts';
import { sessionViewOf } from '../console/session-view.ts';
import { chooseSessionPage, confirmationPage, errorPage, homePage, returningPage, signInPage, signedOutPage, type SignInMode } from '../console/views/index.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import { formFields } from './body.ts';
import { browserOf, csrfTokenFor, csrfValid, type BrowserIdentity } from './browser.ts';
import { sendHtml } from './html-reply.ts';
import { requestContextOf } from './request-context.ts';

export interface ConsoleDeps {
  store: Store;
  clock: Clock;
  random: Random;
  region: string;
  publicUrl: string;
  csrfKey: Buffer;
}

const MAX_FORM_BYTES = 16 * 1024;
const AUTHORIZE_PATH = '/v1/authorize';

/** Only a path back into /v1/authorize (or the console) may follow sign-in: no open redirect. */
function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  return value.startsWith(`${AUTHORIZE_PATH}?`) || value === '/console' ? value : undefined;
}

function queryValues(request: FastifyRequest): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  for (const [key, value] of new URLSearchParams(search)) (query[key] ??= []).push(value);
  return query;
}

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

  const page = (reply: FastifyReply, status: number, title: string, message: string, requestId?: string) =>
    sendHtml(reply, status, errorPage({ title, message, requestId }));

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'console request failed');
    return status < 500
      ? page(reply, status, 'Request not accepted', 'The browser sent something Keyless could not read. Go back and try again.', request.id)
      : page(reply, 500, 'Something went wrong', 'Keyless could not complete this request. Try again in a moment.', request.id);
  });
  app.setNotFoundHandler((request, reply) => page(reply, 404, 'Page not found', 'There is nothing at this address.', request.id));

  for (const [path, asset] of Object.entries(CONSOLE_ASSETS)) {
    app.get(path, (request, reply) => {
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      return reply.header('etag', asset.etag).header('cache-control', 'public, max-age=300').type(asset.contentType).send(asset.body);
    });
  }

  /** A POST from one of our own forms: browser cookie, CSRF token, and no foreign Origin. */
  const formOf = (request: FastifyRequest, reply: FastifyReply): { browser: BrowserIdentity; form: Record<string, string> } | undefined => {
    const browser = browserOf(request, reply, secure);
    const form = (request.body ?? {}) as Record<string, string>;
    const origin = request.headers.origin;
    if ((origin !== undefined && origin !== 'null' && origin !== deps.publicUrl && !isSameHost(origin, request)) || !csrfValid(deps.csrfKey, browser, form.csrf)) {
      page(reply, 403, 'This form has expired', 'For your security, the form could not be accepted. Go back, reload the page and try again.', request.id);
      return undefined;
    }
    return { browser, form };
  };

  const activeSessions = (browser: BrowserIdentity) => deps.store.consoleSessions.listActive(browser.digest, deps.clock.now());
  const views = (sessions: ConsoleSession[]) => sessions.map((s) => sessionViewOf(s, deps.clock.now()));

  // ---- /v1/authorize --------------------------------------------------------------------
  app.get(AUTHORIZE_PATH, async (request, reply) => {
    const parsed = parseAuthorizeRequest(queryValues(request), deps.publicUrl);
    if ('kind' in parsed) {
      return parsed.kind === 'page' ? page(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 302);
    }
    const browser = browserOf(request, reply, secure);
    const sessions = await activeSessions(browser);
    const returnTo = `${AUTHORIZE_PATH}?${new URLSearchParams(authorizeParamsOf(parsed))}`;
    if (sessions.length === 0) return reply.redirect(`/console/signin?${new URLSearchParams({ mode: 'iam', return_to: returnTo })}`, 302);
    return sendHtml(
      reply,
      200,
      chooseSessionPage({
        csrfToken: csrfTokenFor(deps.csrfKey, browser),
        client: { kind: parsed.clientId.endsWith('same-device') ? 'same-device' : 'cross-device', redirectUri: parsed.redirectUri },
        authorizeParams: authorizeParamsOf(parsed),
        sessions: views(sessions),
        signInAnotherUrl: `/console/signin?${new URLSearchParams({ mode: 'iam', return_to: returnTo })}`,
        refreshUrl: returnTo,
        maxSessions: MAX_CONSOLE_SESSIONS,
      }),
    );
  });

  /** The authorize parameters re-posted by the chooser, validated again: the form is not trusted. */
  const postedAuthorizeRequest = (form: Record<string, string>): AuthorizeRequest | ReturnType<typeof parseAuthorizeRequest> =>
    parseAuthorizeRequest(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, [v]])), deps.publicUrl);

  app.post(`${AUTHORIZE_PATH}/continue`, async (request, reply) => {
    const posted = formOf(request, reply);
    if (!posted) return reply;
    const parsed = postedAuthorizeRequest(posted.form);
    if ('kind' in parsed) return parsed.kind === 'page' ? page(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 303);
    const session = await deps.store.consoleSessions.findActive(posted.form.session_id ?? '', posted.browser.digest, deps.clock.now());
    if (!session) {
      return reply.redirect(`${AUTHORIZE_PATH}?${new URLSearchParams(authorizeParamsOf(parsed))}`, 303);
    }
    return backToClient(reply, await approveAuthorization(deps, parsed, session, requestContextOf(request)));
  });

  app.post(`${AUTHORIZE_PATH}/deny`, async (request, reply) => {
    const posted = formOf(request, reply);
    if (!posted) return reply;
    const parsed = postedAuthorizeRequest(posted.form);
    if ('kind' in parsed) return parsed.kind === 'page' ? page(reply, 400, parsed.title, parsed.message, request.id) : reply.redirect(errorRedirectUrl(parsed), 303);
    return backToClient(reply, errorRedirectUrl({ kind: 'redirect', redirectUri: parsed.redirectUri, clientId: parsed.clientId, error: 'access_denied', description: 'The user declined.', state: parsed.state }));
  });

  // ---- cross-device confirmation ---------------------------------------------------------
  app.get('/v1/sessions/confirmation', async (request, reply) => {
    const query = queryValues(request);
    const code = query.code?.length === 1 ? query.code[0]! : undefined;
    const state = query.state?.length === 1 ? query.state[0]! : undefined;
    if (query.error) return page(reply, 200, 'Sign-in cancelled', 'Nothing was shared with the other device. You can close this page.', request.id);
    if (!code || !state || code.length > 512 || state.length > 512) return page(reply, 400, 'Nothing to confirm', 'Start again with keyless login --remote on the other device.', request.id);
    const verificationCode = encodeVerificationCode(code, state);
    if (!decodeVerificationCode(verificationCode)) return page(reply, 400, 'Nothing to confirm', 'Start again with keyless login --remote.', request.id);
    return sendHtml(reply, 200, confirmationPage({ verificationCode }));
  });

  // ---- console ----------------------------------------------------------------------------
  app.get('/console', async (request, reply) => {
    const browser = browserOf(request, reply, secure);
    const sessions = await activeSessions(browser);
    return sendHtml(reply, 200, homePage({ csrfToken: csrfTokenFor(deps.csrfKey, browser), sessions: views(sessions), maxSessions: MAX_CONSOLE_SESSIONS }));
  });

  app.get('/console/signin', async (request, reply) => {
    const query = queryValues(request);
    const browser = browserOf(request, reply, secure);
    const mode: SignInMode = query.mode?.[0] === 'root' ? 'root' : 'iam';
    return sendHtml(reply, 200, signInPage({ csrfToken: csrfTokenFor(deps.csrfKey, browser), mode, returnTo: safeReturnTo(query.return_to?.[0]) }));
  });

  app.post('/console/signin', async (request, reply) => {
    const posted = formOf(request, reply);
    if (!posted) return reply;
    const { form, browser } = posted;
    const mode: SignInMode = form.mode === 'root' ? 'root' : 'iam';
    const returnTo = safeReturnTo(form.return_to);
    const values = { email: clip(form.email), account: clip(form.account), username: clip(form.username) };
    const password = form.password ?? '';
    const again = (error: string, status = 401) =>
      sendHtml(reply, status, signInPage({ csrfToken: csrfTokenFor(deps.csrfKey, browser), mode, returnTo, error, values }));
    const missing = mode === 'root' ? !values.email : !values.account || !values.username;
    if (missing || !password) return again('Fill in every field.', 400);
    if (password.length > 256) return again('The sign-in details are not correct. Check them and try again.');
    const credentials: Credentials =
      mode === 'root' ? { mode, email: values.email!, password } : { mode, account: values.account!, username: values.username!, password };
    const result = await signInWithPassword(deps, credentials, browser.digest, requestContextOf(request));
    if (!result.ok) return again(result.message);
    return reply.redirect(returnTo ?? '/console', 303);
  });

  app.post('/console/signout', async (request, reply) => {
    const posted = formOf(request, reply);
    if (!posted) return reply;
    const which = posted.form.session_id === 'all' ? undefined : posted.form.session_id;
    if (which === '') return reply.redirect('/console', 303);
    await deps.store.consoleSessions.end(posted.browser.digest, which, deps.clock.now());
    const remaining = (await activeSessions(posted.browser)).length;
    return sendHtml(reply, 200, signedOutPage({ remaining }));
  });
}

/**
 * After a form POST, CSP `form-action` governs the redirect too; it can name 127.0.0.1 but not
 * [::1], so an IPv6 loopback client gets a page that navigates there itself.
 */
function backToClient(reply: FastifyReply, location: string): FastifyReply {
  return new URL(location).hostname === '[::1]' ? sendHtml(reply, 200, returningPage({ location })) : reply.redirect(location, 303);
}

const clip = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, 256));

function isSameHost(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
