// Pieces several pages share. Every form is built by `postForm`, which always adds the CSRF field,
// so a page cannot forget it.
import { html, type HtmlValue, type SafeHtml } from './html.ts';

/** The only places a console form posts to. */
export type FormAction =
  | '/console/signin'
  | '/console/signin/mfa'
  | '/console/signin/replace'
  | '/console/federation/role'
  | '/console/federation/replace'
  | '/console/signout'
  | '/console/mfa/start'
  | '/console/mfa/confirm'
  | '/v1/authorize/continue'
  | '/v1/authorize/deny';

/** Every FormAction, for tests that check where forms post. */
export const FORM_ACTIONS: readonly FormAction[] = [
  '/console/signin',
  '/console/signin/mfa',
  '/console/signin/replace',
  '/console/federation/role',
  '/console/federation/replace',
  '/console/signout',
  '/console/mfa/start',
  '/console/mfa/confirm',
  '/v1/authorize/continue',
  '/v1/authorize/deny',
];

/** The name of the CSRF field in every console form. */
export const CSRF_FIELD = 'csrf';

/** The field naming the session a choice or a sign-out is about. */
export const SESSION_ID_FIELD = 'session_id';

export const hiddenInput = (name: string, value: string): SafeHtml =>
  html`<input type="hidden" name="${name}" value="${value}">`;

export interface PostFormModel {
  action: FormAction;
  csrfToken: string;
  /** Hidden fields, in order, after the CSRF field. */
  hidden?: ReadonlyArray<readonly [name: string, value: string]>;
  body: HtmlValue;
  className?: string;
  /** Accessible name for the form, when a page has several. */
  label?: string;
}

export function postForm({ action, csrfToken, hidden = [], body, className, label }: PostFormModel): SafeHtml {
  return html`<form method="post" action="${action}"${className ? html` class="${className}"` : ''}${label ? html` aria-label="${label}"` : ''}>
${hiddenInput(CSRF_FIELD, csrfToken)}${hidden.map(([name, value]) => hiddenInput(name, value))}
${body}
</form>`;
}

/** An error the user must read; announced by screen readers at once. */
export const errorAlert = (message: string | undefined): SafeHtml | false =>
  message !== undefined && message !== '' && html`<div class="alert alert-error" role="alert">${message}</div>`;

/** A neutral message (e.g. "You signed out."), announced politely. */
export const noticeBox = (message: string | undefined): SafeHtml | false =>
  message !== undefined && message !== '' && html`<div class="alert alert-notice" role="status">${message}</div>`;

/** The 6-digit code field of the MFA pages: numeric keypad on phones, one-time-code autofill. */
export const totpCodeField = (input: { id: string; label: string; hint: string; autofocus: boolean }): SafeHtml => html`<div class="field">
<label for="${input.id}">${input.label}</label>
<input id="${input.id}" name="code" class="code-input" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" minlength="6" maxlength="7" spellcheck="false" required aria-describedby="${input.id}-hint"${input.autofocus ? html` autofocus` : ''}>
<span class="hint" id="${input.id}-hint">${input.hint}</span>
</div>`;
