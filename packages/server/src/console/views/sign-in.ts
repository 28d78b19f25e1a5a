// GET /console/signin: root user (email + password) or IAM user (account + user name + password).
// Posts to /console/signin with the fields `mode`, `return_to`, `csrf` and either `email` or
// `account` + `username`, plus `password`.
import { errorAlert, noticeBox, postForm } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';

export type SignInMode = 'root' | 'iam';

export interface SignInPageModel {
  csrfToken: string;
  /** Where to go after signing in (validated by the route on POST); kept across the mode tabs. */
  returnTo?: string;
  mode: SignInMode;
  error?: string;
  /** What the user typed, re-rendered after a failed attempt. The password never is. */
  values?: { email?: string; account?: string; username?: string };
  notice?: string;
  /** Configured OpenID providers: a "Sign in with {name}" link each (issue 3, federated sign-in). */
  providers?: ReadonlyArray<{ id: string; name: string }>;
}

/** `/console/signin?mode=…[&return_to=…]`. */
export function signInUrl(mode: SignInMode, returnTo?: string): string {
  const query = new URLSearchParams({ mode });
  if (returnTo) query.set('return_to', returnTo);
  return `/console/signin?${query}`;
}

const MODES: ReadonlyArray<{ mode: SignInMode; label: string; description: string }> = [
  { mode: 'root', label: 'Root user', description: 'The account owner, signing in with the account’s email address.' },
  { mode: 'iam', label: 'IAM user', description: 'A user inside an account, signing in with the account and a user name.' },
];

function tabs(current: SignInMode, returnTo: string | undefined): SafeHtml {
  return html`<nav class="tabs" aria-label="Sign in as">${MODES.map(
    ({ mode, label }) =>
      html`<a class="tab" href="${signInUrl(mode, returnTo)}"${mode === current ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>`;
}

/** `autofocus` on the first empty field, or on the password after a failed attempt. */
const focus = (on: boolean): SafeHtml | '' => (on ? html` autofocus` : '');

function rootFields(values: SignInPageModel['values'], focusPassword: boolean): SafeHtml {
  const email = values?.email ?? '';
  return html`<div class="field">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${email}"${focus(!focusPassword && !email)}>
</div>
${passwordField(focusPassword || Boolean(email))}`;
}

function iamFields(values: SignInPageModel['values'], focusPassword: boolean): SafeHtml {
  const account = values?.account ?? '';
  const username = values?.username ?? '';
  // No inputmode="numeric": the field also takes an alias, and a phone's number pad cannot type one.
  return html`<div class="field">
<label for="account">Account ID or alias</label>
<input id="account" name="account" type="text" autocapitalize="none" autocorrect="off" spellcheck="false" required aria-describedby="account-hint" value="${account}"${focus(!focusPassword && !account)}>
<span class="hint" id="account-hint">12 digits, or the account alias.</span>
</div>
<div class="field">
<label for="username">User name</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" required value="${username}"${focus(!focusPassword && Boolean(account) && !username)}>
</div>
${passwordField(focusPassword || (Boolean(account) && Boolean(username)))}`;
}

const passwordField = (autofocus: boolean): SafeHtml => html`<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focus(autofocus)}>
</div>`;

/** `/console/federation/start?provider=…[&return_to=…]`: a link, since the form-action CSP would stop a form's redirect to the provider. */
export function federationStartUrl(providerId: string, returnTo?: string): string {
  const query = new URLSearchParams({ provider: providerId });
  if (returnTo) query.set('return_to', returnTo);
  return `/console/federation/start?${query}`;
}

function federatedOptions(providers: SignInPageModel['providers'], returnTo: string | undefined): SafeHtml | '' {
  if (!providers || providers.length === 0) return '';
  return html`<div class="stack">${providers.map(
    (provider) => html`<a class="button button-secondary button-block" href="${federationStartUrl(provider.id, returnTo)}">Sign in with <bdi>${provider.name}</bdi></a>`,
  )}</div>
<hr class="divider">`;
}

export function signInPage({ csrfToken, returnTo, mode, error, values, notice, providers }: SignInPageModel): string {
  const current = MODES.find((entry) => entry.mode === mode) ?? MODES[0]!;
  const failed = error !== undefined && error !== '';
  const fields = current.mode === 'root' ? rootFields(values, failed) : iamFields(values, failed);
  const body = html`<h1>Sign in</h1>
${federatedOptions(providers, returnTo)}
${tabs(current.mode, returnTo)}
<p class="lead">${current.description}</p>
${noticeBox(notice)}
${errorAlert(error)}
${postForm({
  action: '/console/signin',
  csrfToken,
  className: 'stack',
  hidden: [['mode', current.mode], ...(returnTo ? [['return_to', returnTo] as const] : [])],
  body: html`${fields}
<button class="button button-primary button-block" type="submit">Sign in</button>`,
})}`;
  return layout({ title: 'Sign in', body });
}
