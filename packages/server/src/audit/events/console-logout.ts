// ConsoleLogout: AWS records no event when a console session ends; Keyless records one
// (eventType AwsConsoleSignIn, the outcome in responseElements, as ConsoleLogin), so "who was
// signed in, and until when" is answered from the trail alone.
import type { RequestContext } from '../../request-context.ts';
import type { ConsoleSession } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import { sessionActor } from '../identity.ts';

export const consoleLogout = (facts: { session: ConsoleSession; region: string; context: RequestContext; now: number }): AuditEvent => ({
  eventName: 'ConsoleLogout',
  eventType: 'AwsConsoleSignIn',
  readOnly: false,
  principal: sessionActor(facts.session),
  region: facts.region,
  context: facts.context,
  eventTime: facts.now,
  requestParameters: null,
  responseElements: { ConsoleLogout: 'Success' },
  success: true,
});
