// The audit trail: the one way an event reaches the journal. Built once by the composition root
// from the service's randomness, so every event id is time-ordered (event-id.ts) and every event's
// time is the `now` of the change it records, which its builder (audit/events/) was given. Every
// write happens inside the caller's transaction: the event commits with the change or not at all.
import type { Random } from '../crypto/ids.ts';
import type { RequestContext } from '../request-context.ts';
import { templateFills } from '../store/audit-record-codec.ts';
import type { LoginSession, NewAuditEvent, Repos } from '../store/store.ts';
import { auditEventRow, recordTemplate, SIGNIN_SOURCE, type AuditEvent } from './cloudtrail-record.ts';
import { newEventId } from './event-id.ts';
import { createOAuth2Token, TOKEN_EVENT } from './events/create-oauth2-token.ts';
import { usernameOf } from './identity.ts';

/** Credentials issued to a login session: what their CreateOAuth2Token event says. */
export interface IssuedToken {
  session: LoginSession;
  context: RequestContext;
  now: number;
  accessKeyId: string;
}

export interface AuditTrail {
  /** Appends `event` inside the caller's transaction. */
  record(tx: Pick<Repos, 'audit'>, event: AuditEvent): Promise<void>;
  /**
   * Stores the template of the CreateOAuth2Token records of credentials issued to this session,
   * in the transaction that creates it; returns its id for the session row (null: the record did
   * not split into a template, and the session's events are stored whole).
   */
  storeTokenTemplate(tx: Pick<Repos, 'audit'>, session: Omit<LoginSession, 'audit_template_id'>, now: number): Promise<string | null>;
  /** Appends the CreateOAuth2Token event of credentials issued at code redemption. */
  recordIssuedToken(tx: Pick<Repos, 'audit'>, issued: IssuedToken): Promise<void>;
  /**
   * The journal row of a refresh's CreateOAuth2Token event, for the rotation to write in the
   * statement that issues the credentials (undefined: none is recorded, benchmark mode only).
   */
  rotationEvent(issued: IssuedToken): NewAuditEvent | undefined;
}

export function createAuditTrail(random: Random): AuditTrail {
  /**
   * From the session's record template when it has one: everything the template holds comes
   * from the session, so it fits every such event.
   */
  const issuedTokenRow = (issued: IssuedToken): NewAuditEvent => {
    const { session, context, now } = issued;
    // The fills are stored as JSON: a value the record would leave out (no address once the
    // socket is gone) would come back as null. Such an event is stored whole.
    const fits = typeof context.sourceIp === 'string' && typeof context.userAgent === 'string';
    if (!session.audit_template_id || !fits) return auditEventRow({ ...createOAuth2Token({ ...issued, clientId: session.client_id }), eventId: newEventId(random, now) });
    // The row auditEventRow would write for the event, written out: this runs in every refresh,
    // and building the event only to read six fields back cost more than the rest.
    return {
      event_id: newEventId(random, now),
      event_time: now,
      event_name: TOKEN_EVENT,
      event_source: SIGNIN_SOURCE,
      account_id: session.account_id,
      username: usernameOf(session.arn),
      access_key_id: issued.accessKeyId,
      read_only: 1,
      request_id: context.requestId,
      record: '',
      template_id: session.audit_template_id,
      template_fills: templateFills(context),
    };
  };
  return {
    async record(tx, event) {
      await tx.audit.append(auditEventRow({ ...event, eventId: newEventId(random, event.eventTime) }), event.resources);
    },
    async storeTokenTemplate(tx, session, now) {
      const parts = recordTemplate({ ...createOAuth2Token({ session, context: { requestId: '', sourceIp: '', userAgent: '' }, now, clientId: session.client_id }), eventId: '' });
      if (!parts) return null;
      // Time-ordered like event ids, so the templates' key grows at its end.
      const id = newEventId(random, now);
      await tx.audit.createTemplate({ id, createdAt: now, parts });
      return id;
    },
    async recordIssuedToken(tx, issued) {
      await tx.audit.append(issuedTokenRow(issued));
    },
    rotationEvent: issuedTokenRow,
  };
}

/**
 * Benchmark knob only (KEYLESS_BENCHMARK_WITHOUT=token-events, refused outside loopback): while
 * `off()` says so, a refresh's rotation records no CreateOAuth2Token event, for the A/B of what
 * recording costs (issue 5). Everything else is recorded as ever.
 */
export const withoutTokenEvents = (trail: AuditTrail, off: () => boolean): AuditTrail => ({
  ...trail,
  rotationEvent: (issued) => (off() ? undefined : trail.rotationEvent(issued)),
});
