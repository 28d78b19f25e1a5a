// Console sign-out: end one session of this browser (or all of them) and record each ending in
// the same transaction. AWS records no event when a console session ends; Keyless records
// `ConsoleLogout` (eventType AwsConsoleSignIn, the outcome in responseElements, as ConsoleLogin),
// so "who was signed in, and until when" is answered from the trail alone.
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import { newEventId } from '../audit/event-id.ts';
import { sessionActor } from '../audit/identity.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { ConsoleSession, Store } from '../store/store.ts';

export async function signOutConsole(
  deps: { store: Store; clock: Clock; random: Random; region: string },
  input: { browserDigest: string; sessionId: string | undefined; context: RequestContext },
): Promise<ConsoleSession[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const ended = await tx.consoleSessions.end(input.browserDigest, input.sessionId, now);
    for (const session of ended) {
      await recordAuditEvent(tx, {
        eventName: 'ConsoleLogout',
        eventType: 'AwsConsoleSignIn',
        readOnly: false,
        principal: sessionActor(session),
        region: deps.region,
        context: input.context,
        eventId: newEventId(deps.random, now),
        eventTime: now,
        requestParameters: null,
        responseElements: { ConsoleLogout: 'Success' },
        success: true,
      });
    }
    return ended;
  });
}
