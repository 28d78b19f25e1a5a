// After "Sign in with {provider}": the roles whose trust policies admit the user's claims, one
// radio button each (name, account, the session ARN it becomes, its maximum session duration).
// Even a single role is shown: the user sees which account and role they are about to act as
// before a session exists, and one tap confirms it. Posts `choice` (sealed) and `role_id` to
// /console/federation/role.
import { postForm } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { formatTimeLeft } from './session.ts';

export interface RoleOptionView {
  id: string;
  name: string;
  accountId: string;
  sessionArn: string;
  maxSessionSeconds: number;
}

export interface ChooseRolePageModel {
  csrfToken: string;
  providerName: string;
  /** Who the provider says signed in: the role session name. */
  signedInAs: string;
  choice: string;
  roles: RoleOptionView[];
  error?: string;
}

export const ROLE_ID_FIELD = 'role_id';

function option(role: RoleOptionView, index: number): SafeHtml {
  const id = `role-${index}`;
  return html`<li class="choice">
<input type="radio" id="${id}" name="${ROLE_ID_FIELD}" value="${role.id}" required${index === 0 ? html` checked` : ''}>
<label for="${id}"><div class="session-info">
<div class="session-head"><bdi class="session-name">${role.name}</bdi><span class="badge">Role</span></div>
<code class="session-arn" dir="ltr">${role.sessionArn}</code>
<dl class="session-meta"><div><dt>Account </dt><dd>${role.accountId}</dd></div><div><dt>Session up to </dt><dd>${formatTimeLeft(role.maxSessionSeconds)}</dd></div></dl>
</div></label>
</li>`;
}

export function chooseRolePage(model: ChooseRolePageModel): string {
  const one = model.roles.length === 1;
  const body = html`<h1>${one ? 'Continue with this role' : 'Choose a role'}</h1>
<p class="lead">${model.providerName} signed you in as <strong><bdi>${model.signedInAs}</bdi></strong>. ${one ? 'This is the role you may use:' : `You may use ${model.roles.length} roles; pick the one to act as.`}</p>
${postForm({
  action: '/console/federation/role',
  csrfToken: model.csrfToken,
  className: 'stack',
  hidden: [['choice', model.choice]],
  body: html`<fieldset class="choices">
<legend>${one ? 'Role' : 'Roles'}</legend>
<ul class="sessions">${model.roles.map(option)}</ul>
</fieldset>
<button class="button button-primary button-block" type="submit">Continue</button>`,
})}
<p class="small center"><a href="/console/signin">Cancel and sign in another way</a></p>`;
  return layout({ title: one ? 'Continue with this role' : 'Choose a role', body });
}
