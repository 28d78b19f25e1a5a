// The "Continue with an active session" screen of GET /v1/authorize (PROTOCOL.md §1: the user
// signs in or picks one of the browser's active sessions, up to 5). Each choice re-posts the
// original authorize parameters, so the server validates them again on POST and keeps no state.
import { CSRF_FIELD, SESSION_ID_FIELD, postForm } from './components.ts';
import { attrUrl, html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { sessionDetails, type SessionView } from './session.ts';

export interface ChooseSessionPageModel {
  csrfToken: string;
  client: { kind: 'same-device' | 'cross-device'; redirectUri: string };
  /** The original query parameters of /v1/authorize, re-posted as hidden inputs. */
  authorizeParams: Record<string, string>;
  sessions: SessionView[];
  signInAnotherUrl: string;
  refreshUrl: string;
  maxSessions: number;
}

/** Field names this page sets itself; an authorize parameter of the same name is not re-posted. */
const RESERVED = new Set([CSRF_FIELD, SESSION_ID_FIELD]);

/**
 * The authorize parameters as hidden fields. A query that smuggled `csrf=` or `session_id=` in
 * would otherwise post two values of a field this page owns.
 */
export const authorizeHiddenFields = (params: Record<string, string>): Array<readonly [string, string]> =>
  Object.entries(params).filter(([name]) => !RESERVED.has(name));

function requester(client: ChooseSessionPageModel['client']): SafeHtml {
  if (client.kind === 'same-device') {
    return html`<p class="lead">The AWS CLI on this computer is asking for credentials. Choose the session it should act as: it will get short-lived AWS credentials that it keeps refreshing until that session ends.</p>
<p class="requester">The credentials go to <code dir="ltr">${client.redirectUri}</code>, a program on this computer.</p>`;
  }
  return html`<p class="lead">A device is asking for credentials, for example a terminal where someone ran <code class="command">keyless login --remote</code>. Choose the session it should act as: you will then see a code to paste into that terminal.</p>
<p class="requester">Only continue if you started this sign-in yourself.</p>`;
}

function sessionItem(session: SessionView, model: ChooseSessionPageModel): SafeHtml {
  return html`<li class="session">
${sessionDetails(session)}
${postForm({
  action: '/v1/authorize/continue',
  csrfToken: model.csrfToken,
  hidden: [[SESSION_ID_FIELD, session.id], ...authorizeHiddenFields(model.authorizeParams)],
  body: html`<button class="button button-primary button-block" type="submit">Continue as <bdi>${session.displayName}</bdi></button>`,
})}
</li>`;
}

export function chooseSessionPage(model: ChooseSessionPageModel): string {
  const { sessions, maxSessions } = model;
  const full = sessions.length >= maxSessions;
  const body = html`<h1>Continue with an active session</h1>
${requester(model.client)}
<div class="list-head"><h2 id="sessions-heading">Sessions in this browser</h2><a href="${attrUrl(model.refreshUrl)}">Refresh</a></div>
${sessions.length > 0
  ? html`<ul class="sessions" aria-labelledby="sessions-heading">${sessions.map((session) => sessionItem(session, model))}</ul>`
  : html`<p>This browser has no active session.</p>`}
<a class="button button-secondary button-block" href="${attrUrl(model.signInAnotherUrl)}">Sign in to another session</a>
${full && html`<p class="small">This browser already has ${sessions.length} active sessions; it keeps at most ${maxSessions}.</p>`}
<hr class="divider">
${postForm({
  action: '/v1/authorize/deny',
  csrfToken: model.csrfToken,
  hidden: authorizeHiddenFields(model.authorizeParams),
  label: 'Cancel',
  body: html`<button class="button button-secondary button-block" type="submit">Cancel</button>
<p class="small center">Cancelling tells the requesting program that access was denied.</p>`,
})}`;
  return layout({ title: 'Choose a session', body });
}
