// One active console session as the choose-session and home pages show it.
import { html, type SafeHtml } from './html.ts';

export interface SessionView {
  id: string;
  /** The principal ARN: `arn:aws:iam::111111111111:user/alice`, `…:root`, `arn:aws:sts::…:assumed-role/R/s`. */
  arn: string;
  accountId: string;
  displayName: string;
  kind: 'root' | 'user' | 'role';
  remainingSeconds: number;
  mfa: boolean;
}

const KIND_LABEL: Record<SessionView['kind'], string> = { root: 'Root user', user: 'IAM user', role: 'Role' };

/**
 * Time left, rounded down so it never promises more than there is: "11 h 42 min", "3 h", "42 min",
 * "less than a minute", "expired".
 */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'expired';
  const minutes = Math.floor(seconds / 60);
  if (minutes === 0) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** ISO 8601 duration for `<time datetime>`: PT11H42M. */
export function isoDuration(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  return `PT${Math.floor(minutes / 60)}H${minutes % 60}M`;
}

/** Name, kind, MFA, ARN, account and time left. `<bdi>` keeps a right-to-left name from reordering the line. */
export function sessionDetails(session: SessionView): SafeHtml {
  return html`<div class="session-info">
<div class="session-head"><bdi class="session-name">${session.displayName}</bdi><span class="badge">${KIND_LABEL[session.kind]}</span>${session.mfa && html`<span class="badge badge-ok">MFA</span>`}</div>
<code class="session-arn" dir="ltr">${session.arn}</code>
<dl class="session-meta"><div><dt>Account </dt><dd>${session.accountId}</dd></div><div><dt>Time left </dt><dd><time datetime="${isoDuration(session.remainingSeconds)}">${formatTimeLeft(session.remainingSeconds)}</time></dd></div></dl>
</div>`;
}
