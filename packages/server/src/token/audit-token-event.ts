// The CreateOAuth2Token audit event, success or failure (requestParameters: client_id only).
import type { SigninError } from '@keyless/protocol';
import { auditEventRow, recordAuditEvent, SIGNIN_SOURCE, type AuditInput, type RequestContext } from '../audit/cloudtrail-record.ts';
import { sessionActor, usernameOf } from '../audit/identity.ts';
import { newEventId } from '../audit/event-id.ts';
import { recordTemplate, templateFills } from '../audit/record-template.ts';
import type { Random } from '../crypto/ids.ts';
import type { AuthCode, LoginSession, NewAuditEvent, Repos } from '../store/store.ts';

/** What the event says about the session: who, since when, with MFA or not, in which region. */
export type TokenEventSession = Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'created_at' | 'mfa' | 'region'>;

type TokenEventInput = { session: TokenEventSession; context: RequestContext; now: number; clientId: string; accessKeyId?: string; errorCode?: string; errorMessage?: string };

const TOKEN_EVENT = 'CreateOAuth2Token';

function tokenEvent(deps: { random: Random }, input: TokenEventInput): AuditInput {
  const { session } = input;
  return {
    eventName: TOKEN_EVENT,
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

/**
 * The journal row of the event that records credentials issued to a login session, for a caller
 * that writes it in the statement that issues them. From the session's record template when it
 * has one: everything the template holds comes from the session, so it fits every such event.
 */
export function issuedTokenEventRow(deps: { random: Random }, input: { session: LoginSession; context: RequestContext; now: number; accessKeyId: string }): NewAuditEvent {
  const { session, context, now } = input;
  // The fills are stored as JSON: a value the record would leave out (no address once the
  // socket is gone) would come back as null. Such an event is stored whole.
  const fits = typeof context.sourceIp === 'string' && typeof context.userAgent === 'string';
  if (!session.audit_template_id || !fits) return auditEventRow(tokenEvent(deps, { ...input, clientId: session.client_id }));
  // The row auditEventRow would write for tokenEvent's input, written out: this runs in every
  // refresh, and building that input only to read six fields back cost more than the rest.
  return {
    event_id: newEventId(deps.random, now),
    event_time: now,
    event_name: TOKEN_EVENT,
    event_source: SIGNIN_SOURCE,
    account_id: session.account_id,
    username: usernameOf(session.arn),
    access_key_id: input.accessKeyId,
    read_only: 1,
    request_id: context.requestId,
    record: '',
    template_id: session.audit_template_id,
    template_fills: templateFills(context),
  };
}

/**
 * Stores the template of the records `issuedTokenEventRow` writes for this session, in the
 * transaction that creates it; returns its id for the session row (null: the record did not
 * split into a template, and the session's events are stored whole).
 */
export async function storeTokenEventTemplate(tx: Repos, deps: { random: Random }, session: Omit<LoginSession, 'audit_template_id'>, now: number): Promise<string | null> {
  const parts = recordTemplate(tokenEvent(deps, { session, context: { requestId: '', sourceIp: '', userAgent: '' }, now, clientId: session.client_id }));
  if (!parts) return null;
  // Time-ordered like event ids, so the templates' key grows at its end.
  const id = newEventId(deps.random, now);
  await tx.audit.createTemplate({ id, createdAt: now, parts });
  return id;
}

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
