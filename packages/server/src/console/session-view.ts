import type { SessionView } from './views/index.ts';
import type { ConsoleSession } from '../store/store.ts';

/** How a console session is shown: who, which account, how long it has left. */
export function sessionViewOf(session: ConsoleSession, now: number): SessionView {
  const kind = session.arn.endsWith(':root') ? 'root' : session.arn.includes(':assumed-role/') ? 'role' : 'user';
  return {
    id: session.id,
    arn: session.arn,
    accountId: session.account_id,
    displayName: kind === 'root' ? 'Root user' : session.arn.slice(session.arn.lastIndexOf('/') + 1),
    kind,
    remainingSeconds: Math.max(0, Math.floor((session.expires_at - now) / 1000)),
    mfa: session.mfa === 1,
  };
}
