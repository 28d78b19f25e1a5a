// GET /console: the browser's active sessions, each with a sign-out button.
// Sign-out posts `session_id` (one id, or `all`) to /console/signout.
import { SESSION_ID_FIELD, noticeBox, postForm } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { sessionDetails, type SessionView } from './session.ts';

export interface HomePageModel {
  csrfToken: string;
  sessions: SessionView[];
  maxSessions: number;
  notice?: string;
}

/** The `session_id` value that signs out of every session of this browser. */
export const ALL_SESSIONS = 'all';

/** Where a session's principal manages its MFA device (root and IAM users; roles have none). */
export const mfaSettingsUrl = (sessionId: string): string => `/console/mfa?${new URLSearchParams({ session: sessionId })}`;

function sessionItem(session: SessionView, csrfToken: string): SafeHtml {
  return html`<li class="session session-row">
${sessionDetails(session)}
<div class="session-actions">
${postForm({
  action: '/console/signout',
  csrfToken,
  hidden: [[SESSION_ID_FIELD, session.id]],
  body: html`<button class="button button-secondary button-small" type="submit">Sign out<span class="visually-hidden"> of <bdi>${session.displayName}</bdi></span></button>`,
})}
${session.kind !== 'role' && html`<a class="small-link" href="${mfaSettingsUrl(session.id)}">MFA settings<span class="visually-hidden"> for <bdi>${session.displayName}</bdi></span></a>`}
</div>
</li>`;
}

export function homePage({ csrfToken, sessions, maxSessions, notice }: HomePageModel): string {
  if (sessions.length === 0) {
    const body = html`<h1>Keyless console</h1>
${noticeBox(notice)}
<p class="lead">You are not signed in on this browser.</p>
<a class="button button-primary button-block" href="/console/signin">Sign in</a>`;
    return layout({ title: 'Console', body });
  }
  const body = html`<h1>Active sessions</h1>
${noticeBox(notice)}
<p class="lead">This browser is signed in to ${sessions.length} of at most ${maxSessions} sessions. The AWS CLI can use any of them.</p>
<ul class="sessions" aria-label="Active sessions">${sessions.map((session) => sessionItem(session, csrfToken))}</ul>
<a class="button button-primary button-block" href="/console/signin">Sign in to another session</a>
${postForm({
  action: '/console/signout',
  csrfToken,
  hidden: [[SESSION_ID_FIELD, ALL_SESSIONS]],
  body: html`<button class="button button-secondary button-block" type="submit">Sign out of all</button>`,
})}`;
  return layout({ title: 'Console', body });
}
