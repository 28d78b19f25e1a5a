// After POST /console/signout.
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface SignedOutPageModel {
  /** Sessions this browser still has. */
  remaining: number;
}

export function signedOutPage({ remaining }: SignedOutPageModel): string {
  const rest =
    remaining > 0
      ? html`<p class="lead">This browser is still signed in to ${remaining} other ${remaining === 1 ? 'session' : 'sessions'}.</p>
<a class="button button-primary button-block" href="/console">Manage sessions</a>`
      : html`<p class="lead">This browser has no active session left.</p>
<a class="button button-primary button-block" href="/console/signin">Sign in</a>`;
  const body = html`<h1>You are signed out</h1>
${rest}`;
  return layout({ title: 'Signed out', body });
}
