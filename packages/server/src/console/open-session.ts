// Creating a console session under the five-per-browser limit. Lock the browser's row, optionally
// end the session the user chose to give up, count, insert and record ConsoleLogin — in one
// transaction, so two tabs signing in at once can never leave a browser with six.
import { consoleLogin } from '../audit/events/console-login.ts';
import type { AuditTrail } from '../audit/trail.ts';
import type { RequestContext } from '../request-context.ts';
import type { Clock } from '../clock.ts';
import { newSessionId, type Random } from '../crypto/ids.ts';
import type { ConsoleSession, Principal, Store } from '../store/store.ts';

export const MAX_CONSOLE_SESSIONS = 5;
/** Console sessions last 12 hours, like AWS's. */
export const CONSOLE_SESSION_MS = 12 * 3600_000;

export type OpenSessionResult = { ok: true; session: ConsoleSession } | { ok: false; full: ConsoleSession[] };

/**
 * A role session (federated sign-in, issue 3): the principal row is the role's, but the session is
 * `arn:aws:sts::…:assumed-role/{role}/{session}`, and it lasts no longer than the role allows.
 */
export interface RoleSessionOf {
  arn: string;
  sessionName: string;
  lifetimeMs: number;
  /** The OpenID provider's ARN, recorded in ConsoleLogin's webIdFederationData. */
  federatedProvider: string;
}

export async function openConsoleSession(
  deps: { store: Store; clock: Clock; random: Random; region: string; audit: AuditTrail },
  input: { principal: Principal; browserDigest: string; mfa: boolean; context: RequestContext; endSessionId?: string; role?: RoleSessionOf },
): Promise<OpenSessionResult> {
  const now = deps.clock.now();
  const { principal, browserDigest, context, role } = input;
  return deps.store.transaction(async (tx): Promise<OpenSessionResult> => {
    await tx.consoleSessions.lockBrowser(browserDigest, now);
    if (input.endSessionId) await tx.consoleSessions.end(browserDigest, input.endSessionId, now);
    const active = await tx.consoleSessions.listActive(browserDigest, now);
    if (active.length >= MAX_CONSOLE_SESSIONS) return { ok: false, full: active };
    const session: ConsoleSession = {
      id: newSessionId(deps.random),
      browser_digest: browserDigest,
      principal_id: principal.id,
      account_id: principal.account_id,
      arn: role?.arn ?? principal.arn,
      mfa: input.mfa ? 1 : 0,
      source_ip: context.sourceIp,
      user_agent: context.userAgent.slice(0, 512),
      created_at: now,
      expires_at: now + Math.min(CONSOLE_SESSION_MS, role?.lifetimeMs ?? CONSOLE_SESSION_MS),
      ended_at: null,
    };
    await tx.consoleSessions.create(session);
    const identity = role && { principalId: `${principal.id}:${role.sessionName}`, accountId: principal.account_id, arn: role.arn, sessionCreatedAt: now, mfa: input.mfa, federatedProvider: role.federatedProvider };
    await deps.audit.record(tx, consoleLogin({ principal, identity, region: deps.region, context, now, outcome: 'success', mfaUsed: input.mfa }));
    return { ok: true, session };
  });
}
