// The CreateOAuth2Token audit event, success or failure (requestParameters: client_id only).
import type { SigninError } from '@keyless/protocol';
import { auditEventRow, recordAuditEvent, type AuditInput, type RequestContext } from '../audit/cloudtrail-record.ts';
import { sessionActor } from '../audit/identity.ts';
import { newEventId } from '../audit/event-id.ts';
import type { Random } from '../crypto/ids.ts';
import type { AuthCode, LoginSession, NewAuditEvent, Repos } from '../store/store.ts';

/** What the event says about the session: who, since when, with MFA or not, in which region. */
export type TokenEventSession = Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'created_at' | 'mfa' | 'region'>;

type TokenEventInput = { session: TokenEventSession; context: RequestContext; now: number; clientId: string; accessKeyId?: string; errorCode?: string; errorMessage?: string };

function tokenEvent(deps: { random: Random }, input: TokenEventInput): AuditInput {
  const { session } = input;
  return {
    eventName: 'CreateOAuth2Token',
    readOnly: true,
    principal: sessionActor(session),
    region: session.region,
    context: input.context,
    eventId: newEventId(deps.random, input.now),
    eventTime: input.now,
    requestParameters: { client_id: input.clientId },
    success: input.errorCode === undefined,
    errorCode: input.errorCode,
    errorMessage: input.errorMessage,
    accessKeyId: input.accessKeyId,
  };
}

export function recordTokenEvent(tx: Repos, deps: { random: Random }, input: TokenEventInput): Promise<void> {
  return recordAuditEvent(tx, tokenEvent(deps, input));
}

/** The event's journal row, for a caller that writes it in the statement that issues the credential. */
export const tokenEventRow = (deps: { random: Random }, input: TokenEventInput): NewAuditEvent => auditEventRow(tokenEvent(deps, input));

/**
 * A code redemption refused after the code was found: the code names the principal who approved
 * it, so the failure is theirs (a stolen code tried with the wrong verifier shows up in their
 * trail). The console session, when it still stands, gives the sessionContext.
 */
export async function recordCodeRefusal(
  tx: Repos,
  deps: { random: Random },
  code: AuthCode,
  input: { context: RequestContext; now: number; clientId: string; error: SigninError },
): Promise<void> {
  const principal = await tx.directory.findPrincipal(code.principal_id);
  if (!principal) return;
  const consoleSession = await tx.consoleSessions.findActiveById(code.console_session_id, input.now);
  const session: TokenEventSession = {
    principal_id: principal.id,
    account_id: principal.account_id,
    // A role's principal row holds the role ARN; the session that approved the code holds the assumed-role one.
    arn: principal.kind === 'role' && consoleSession ? consoleSession.arn : principal.arn,
    created_at: consoleSession?.created_at ?? code.created_at,
    mfa: consoleSession?.mfa ?? 0,
    region: code.region,
  };
  await recordTokenEvent(tx, deps, { session, context: input.context, now: input.now, clientId: input.clientId, errorCode: input.error.code, errorMessage: input.error.message });
}
