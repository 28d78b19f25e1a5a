// Audit events, appended in the same transaction as the change they record.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../schema.ts';

export type AuditEventRow = Selectable<AuditEventsTable>;

export class AuditEventRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async append(event: Insertable<AuditEventsTable>): Promise<void> {
    await this.db.insertInto('audit_events').values(event).execute();
  }

  /** Newest first. */
  list(filter: { accountId?: string; eventName?: string; username?: string; since?: number; limit?: number }): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
    if (filter.eventName) query = query.where('event_name', '=', filter.eventName);
    if (filter.username) query = query.where('username', '=', filter.username);
    if (filter.since !== undefined) query = query.where('event_time', '>=', filter.since);
    return query.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(filter.limit ?? 50).execute();
  }
}
