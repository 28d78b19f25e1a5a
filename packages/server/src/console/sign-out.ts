// Console sign-out: end one session of this browser (or all of them) and record each ending in
// the same transaction. AWS records no event when a console session ends; Keyless records
// `ConsoleLogout` (eventType AwsConsoleSignIn, the outcome in responseElements, as ConsoleLogin),
// so "who was signed in, and until when" is answered from the trail alone.
import { consoleLogout } from '../audit/events/console-logout.ts';
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { RequestContext } from '../request-context.ts';
import type { ConsoleSession, Store } from '../store/store.ts';

export async function signOutConsole(
  deps: { store: Store; clock: Clock; region: string; audit: AuditTrail },
  input: { browserDigest: string; sessionId: string | undefined; context: RequestContext },
): Promise<ConsoleSession[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const ended = await tx.consoleSessions.end(input.browserDigest, input.sessionId, now);
    for (const session of ended) {
      await deps.audit.record(tx, consoleLogout({ session, region: deps.region, context: input.context, now }));
    }
    return ended;
  });
}
