// GET /v1/sessions/confirmation (cross-device): shows the verification code, base64 of
// `code=…&state=…` (PROTOCOL.md §1), for the user to paste into the CLI.
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface ConfirmationPageModel {
  verificationCode: string;
}

export function confirmationPage({ verificationCode }: ConfirmationPageModel): string {
  // The copy button stays hidden until console.js wires it up, so it never shows without working.
  const body = html`<h1>Your verification code</h1>
<p class="lead">Paste this code into the terminal where you ran <code class="command">keyless login --remote</code>. It works once and expires in 5 minutes.</p>
<code class="code-box" id="verification-code" dir="ltr">${verificationCode}</code>
<div class="copy-row">
<button class="button button-primary" type="button" data-copy="verification-code" data-copy-status="copy-status" hidden>Copy</button>
<span class="copy-status" id="copy-status" role="status"></span>
</div>
<p class="small">Do not share it: whoever pastes it first gets the credentials. You can close this tab afterwards.</p>`;
  return layout({ title: 'Verification code', body, script: true });
}
