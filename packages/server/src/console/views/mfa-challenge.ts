// The second sign-in step for a principal with MFA: the 6-digit code from the authenticator app.
// Posts `challenge` (the sealed pending sign-in), `code` and `return_to` to /console/signin/mfa.
import { errorAlert, postForm, totpCodeField } from './components.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { signInUrl } from './sign-in.ts';

export interface MfaChallengePageModel {
  csrfToken: string;
  challenge: string;
  /** Who is signing in (the password was right, so naming them tells nothing new). */
  principalArn: string;
  returnTo?: string;
  error?: string;
}

export function mfaChallengePage({ csrfToken, challenge, principalArn, returnTo, error }: MfaChallengePageModel): string {
  const body = html`<h1>Enter your MFA code</h1>
<p class="lead">Open the authenticator app on your phone and enter the 6-digit code it shows for Keyless.</p>
<p class="requester">Signing in as <code class="session-arn-inline" dir="ltr">${principalArn}</code></p>
${errorAlert(error)}
${postForm({
  action: '/console/signin/mfa',
  csrfToken,
  className: 'stack',
  hidden: [['challenge', challenge], ...(returnTo ? [['return_to', returnTo] as const] : [])],
  body: html`${totpCodeField({ id: 'code', label: 'MFA code', hint: 'The code changes every 30 seconds.', autofocus: true })}
<button class="button button-primary button-block" type="submit">Verify and sign in</button>`,
})}
<p class="small">Lost your device? An administrator can turn MFA off for you; then sign in with your password alone.</p>
<p class="small"><a href="${signInUrl('iam', returnTo)}">Start again</a></p>`;
  return layout({ title: 'MFA code', body });
}
