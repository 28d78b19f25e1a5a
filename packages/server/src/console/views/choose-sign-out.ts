// A sixth sign-in in a browser that keeps at most five sessions: which one should make room?
// One radio button per session (`session_id`), the sealed pending sign-in (`pending`) and
// `return_to`, posted to /console/signin/replace, which ends the chosen session and opens the
// new one in a single transaction.
import { errorAlert, postForm, SESSION_ID_FIELD, type FormAction } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { sessionDetails, type SessionView } from './session.ts';

export interface ChooseSignOutPageModel {
  csrfToken: string;
  pending: string;
  /** The principal signing in now. */
  newArn: string;
  sessions: SessionView[];
  maxSessions: number;
  returnTo?: string;
  error?: string;
  /** A federated sign-in ends the session and opens the role session at its own route. */
  action?: Extract<FormAction, '/console/signin/replace' | '/console/federation/replace'>;
}

function choice(session: SessionView, index: number): SafeHtml {
  const id = `end-${index}`;
  return html`<li class="choice">
<input type="radio" id="${id}" name="${SESSION_ID_FIELD}" value="${session.id}" required${index === 0 ? html` checked` : ''}>
<label for="${id}">${sessionDetails(session)}</label>
</li>`;
}

export function chooseSignOutPage(model: ChooseSignOutPageModel): string {
  const { sessions, maxSessions } = model;
  const body = html`<h1>Choose a session to sign out</h1>
<p class="lead">This browser keeps at most ${maxSessions} sessions, and all ${sessions.length} are in use. To sign in as <code class="session-arn-inline" dir="ltr">${model.newArn}</code>, sign out of one of them.</p>
${errorAlert(model.error)}
${postForm({
  action: model.action ?? '/console/signin/replace',
  csrfToken: model.csrfToken,
  className: 'stack',
  hidden: [['pending', model.pending], ...(model.returnTo ? [['return_to', model.returnTo] as const] : [])],
  body: html`<fieldset class="choices">
<legend>Sign out of</legend>
<ul class="sessions">${sessions.map(choice)}</ul>
</fieldset>
<button class="button button-primary button-block" type="submit">Sign out of it and continue</button>`,
})}
<p class="small center"><a href="/console">Cancel and keep all ${sessions.length} sessions</a></p>`;
  return layout({ title: 'Choose a session to sign out', body });
}
