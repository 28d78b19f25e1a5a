// GET /console/mfa?session=ID: multi-factor authentication for the principal of one of this
// browser's sessions. Three states: not set up (a button that starts), waiting for the first code
// (QR code, the secret as text, the code field), and on. Removing a device is an administrator's
// action (`keyless admin deactivate-mfa`), so a stolen session cannot swap the device.
import { errorAlert, noticeBox, postForm, SESSION_ID_FIELD, totpCodeField } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { qrCode } from './qr-code.ts';
import { sessionDetails, type SessionView } from './session.ts';

export type MfaSetupState =
  | { state: 'none' }
  | { state: 'pending'; secret: string; otpauthUri: string }
  | { state: 'enabled' };

export interface MfaSetupPageModel {
  csrfToken: string;
  session: SessionView;
  status: MfaSetupState;
  error?: string;
  notice?: string;
}

/** "ABCD EFGH …": easier to read and type; apps ignore the spaces. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

function notSetUp(model: MfaSetupPageModel): SafeHtml {
  return html`<p class="lead">Protect <bdi>${model.session.displayName}</bdi> with a second step at sign-in: a 6-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Authy and others).</p>
${postForm({
  action: '/console/mfa/start',
  csrfToken: model.csrfToken,
  hidden: [[SESSION_ID_FIELD, model.session.id]],
  body: html`<button class="button button-primary button-block" type="submit">Set up an authenticator app</button>`,
})}`;
}

function pending(model: MfaSetupPageModel, status: Extract<MfaSetupState, { state: 'pending' }>): SafeHtml {
  return html`<ol class="steps">
<li><h2>Scan this QR code with your authenticator app</h2>
<div class="qr-frame">${qrCode(status.otpauthUri, 'QR code for your authenticator app')}</div>
<details class="manual">
<summary>Can’t scan it? Enter the key by hand</summary>
<p class="small">Choose “enter a setup key”, type this key, and pick time-based codes.</p>
<code class="code-box code-box-small" id="mfa-secret" dir="ltr">${groupedSecret(status.secret)}</code>
<div class="copy-row">
<button class="button button-secondary button-small" type="button" data-copy="mfa-secret" data-copy-status="secret-copy-status" hidden>Copy key</button>
<span class="copy-status" id="secret-copy-status" role="status"></span>
</div>
</details>
</li>
<li><h2>Enter the code the app shows</h2>
${errorAlert(model.error)}
${postForm({
  action: '/console/mfa/confirm',
  csrfToken: model.csrfToken,
  className: 'stack',
  hidden: [[SESSION_ID_FIELD, model.session.id]],
  body: html`${totpCodeField({ id: 'code', label: '6-digit code', hint: 'From now on, signing in asks for a code like this one.', autofocus: model.error !== undefined })}
<button class="button button-primary button-block" type="submit">Turn on MFA</button>`,
})}
</li>
</ol>
<p class="small">Keep the key secret: anyone who has it can produce your codes.</p>`;
}

const enabled = (model: MfaSetupPageModel): SafeHtml => html`<p class="lead">Signing in as <bdi>${model.session.displayName}</bdi> asks for a code from your authenticator app after the password.</p>
<p class="small">Lost the phone? An administrator can turn MFA off with <code class="command">keyless admin deactivate-mfa</code>; then set it up again here.</p>`;

export function mfaSetupPage(model: MfaSetupPageModel): string {
  const { status } = model;
  const heading = status.state === 'enabled' ? 'MFA is on' : 'Multi-factor authentication';
  const body = html`<h1>${heading}</h1>
${noticeBox(model.notice)}
<div class="session session-summary">${sessionDetails(model.session)}</div>
${status.state === 'none' ? html`${errorAlert(model.error)}${notSetUp(model)}` : status.state === 'pending' ? pending(model, status) : enabled(model)}
<p><a href="/console">Back to your sessions</a></p>`;
  return layout({ title: heading, body, script: status.state === 'pending' });
}
