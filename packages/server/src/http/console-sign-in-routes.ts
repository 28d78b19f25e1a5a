// Console sign-in over HTTP: the password form, the MFA code step and the choice of a session to
// end when the browser already has five. Each POST runs one step of console/sign-in.ts and
// renders what comes next; the steps in between travel as sealed form fields.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RenewableBrowser } from '../console/renew-browser.ts';
import type { KnownDevice } from '../console/throttle.ts';
import { offersSignIn } from '../federation/provider-admin.ts';
import { sessionViewOf } from '../console/session-view.ts';
import {
  MAX_CONSOLE_SESSIONS,
  renewsBrowser,
  signInReplacing,
  signInWithPassword,
  signInWithTotp,
  WRONG_PASSWORD,
  type Credentials,
  type SignInOutcome,
} from '../console/sign-in.ts';
import { chooseSignOutPage, mfaChallengePage, signInPage, type SignInMode, type SignInPageModel } from '../console/views/index.ts';
import { browserOf, csrfTokenFor, newBrowser, sendBrowserCookie, type BrowserIdentity } from './browser.ts';
import { clip, postedForm, queryValues, safeReturnTo } from './console-forms.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { knownDeviceOf, rememberDevice } from './device-cookie.ts';
import { sendHtml } from './html-reply.ts';
import { logSecurityEvent } from './access-log.ts';
import { requestContextOf } from './request-context.ts';

const MAX_PASSWORD_LENGTH = 256;

export async function consoleSignInRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  /** The sign-in page, with a "Sign in with …" link for each configured OpenID provider. */
  const signIn = async (model: Omit<SignInPageModel, 'providers'>) =>
    signInPage({ ...model, providers: (await deps.store.read((rs) => rs.federation.listProviders())).filter(offersSignIn).map((p) => ({ id: p.id, name: p.display_name })) });

  /**
   * Runs a sign-in step for this browser, offering it the value the cookie takes if the step
   * succeeds (console/renew-browser.ts); the identity that holds the sessions afterwards comes back.
   */
  const step = async (request: FastifyRequest, reply: FastifyReply, browser: BrowserIdentity, run: (renewable: RenewableBrowser, device: KnownDevice | undefined) => Promise<SignInOutcome>) => {
    const renewed = newBrowser(deps);
    const device = knownDeviceOf(deps, request);
    const outcome = await run({ digest: browser.digest, renewedDigest: renewed.digest }, device);
    // A completed sign-in makes this browser known for the principal (console/throttle.ts).
    if (outcome.kind === 'signed-in') rememberDevice(deps, reply, device, outcome.session.principal_id);
    if (!renewsBrowser(outcome)) return { outcome, browser };
    sendBrowserCookie(deps, reply, renewed);
    return { outcome, browser: { ...renewed, isNew: false } };
  };

  /** What follows a sign-in step; `again` renders the step's own page with an error. */
  const next = async (reply: FastifyReply, browser: BrowserIdentity, outcome: SignInOutcome, returnTo: string | undefined, again: (message: string, status: number) => FastifyReply | Promise<FastifyReply>) => {
    const csrfToken = csrfTokenFor(deps.csrfKey, browser);
    switch (outcome.kind) {
      case 'signed-in':
        return reply.redirect(returnTo ?? '/console', 303);
      case 'mfa-required':
        return sendHtml(reply, 200, mfaChallengePage({ csrfToken, challenge: outcome.challenge, principalArn: outcome.principal.arn, returnTo }));
      case 'choose-session':
        return sendHtml(
          reply,
          200,
          chooseSignOutPage({
            csrfToken,
            pending: outcome.pending,
            newArn: outcome.principal.arn,
            sessions: outcome.sessions.map((s) => sessionViewOf(s, deps.clock.now())),
            maxSessions: MAX_CONSOLE_SESSIONS,
            returnTo,
          }),
        );
      case 'refused':
        // A lock-out is a security event: brute force, or somebody trying to keep a user out.
        if (outcome.status === 429) logSecurityEvent(reply.request, { kind: 'sign-in-locked-out', principalArn: outcome.principalArn, outcome: 'guess refused unchecked' });
        return again(outcome.message, outcome.status);
      case 'expired':
        return sendHtml(reply, 400, await signIn({ csrfToken, mode: 'iam', returnTo, error: 'This sign-in took too long or was started elsewhere. Sign in again.' }));
    }
  };

  app.get('/console/signin', async (request, reply) => {
    const query = queryValues(request);
    const browser = browserOf(deps, request, reply);
    const mode: SignInMode = query.mode?.[0] === 'root' ? 'root' : 'iam';
    return sendHtml(reply, 200, await signIn({ csrfToken: csrfTokenFor(deps.csrfKey, browser), mode, returnTo: safeReturnTo(query.return_to?.[0]) }));
  });

  app.post('/console/signin', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const { form, browser } = posted;
    const mode: SignInMode = form.mode === 'root' ? 'root' : 'iam';
    const returnTo = safeReturnTo(form.return_to);
    const values = { email: clip(form.email), account: clip(form.account), username: clip(form.username) };
    const password = form.password ?? '';
    const again = async (error: string, status = 401) =>
      sendHtml(reply, status, await signIn({ csrfToken: csrfTokenFor(deps.csrfKey, browser), mode, returnTo, error, values }));
    const missing = mode === 'root' ? !values.email : !values.account || !values.username;
    if (missing || !password) return again('Fill in every field.', 400);
    if (password.length > MAX_PASSWORD_LENGTH) return again(WRONG_PASSWORD);
    const credentials: Credentials =
      mode === 'root' ? { mode, email: values.email!, password } : { mode, account: values.account!, username: values.username!, password };
    const { outcome, browser: after } = await step(request, reply, browser, (renewable, device) => signInWithPassword(deps, credentials, renewable, contextOf(request), device));
    return next(reply, after, outcome, returnTo, again);
  });

  app.post('/console/signin/mfa', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const { form, browser } = posted;
    const returnTo = safeReturnTo(form.return_to);
    const code = (form.code ?? '').slice(0, 32);
    const { outcome, browser: after } = await step(request, reply, browser, (renewable, device) => signInWithTotp(deps, form.challenge, code, renewable, contextOf(request), device));
    return next(reply, after, outcome, returnTo, (error, status) =>
      sendHtml(
        reply,
        status,
        mfaChallengePage({ csrfToken: csrfTokenFor(deps.csrfKey, browser), challenge: form.challenge!, principalArn: outcome.kind === 'refused' ? (outcome.principalArn ?? '') : '', returnTo, error }),
      ),
    );
  });

  app.post('/console/signin/replace', async (request, reply) => {
    const posted = postedForm(deps, request, reply);
    if (!posted) return reply;
    const { form, browser } = posted;
    const { outcome, browser: after } = await step(request, reply, browser, (renewable) => signInReplacing(deps, form.pending, form.session_id ?? '', renewable, contextOf(request)));
    return next(reply, after, outcome, safeReturnTo(form.return_to), () => reply.redirect('/console', 303));
  });
}

const contextOf = (request: FastifyRequest) => requestContextOf(request);
