// One IAM Query API call as an operation sees it: the parsed input, the caller's account, who to
// record as having made a change, and `authorize`, which every operation calls first with the
// resource its action is on (AccessDenied, in IAM's words, when no policy allows it).
import type { AuditedBy } from '../../audit/iam-events.ts';
import { iamChange } from '../../audit/events/iam-change.ts';
import { accessDenied, callerPrincipal, type AuthenticatedCaller } from '../../aws-api/service.ts';
import type { Repos } from '../../store/store.ts';
import type { IamDeps } from '../admin/deps.ts';
import type { Authorizer } from '../authorizer.ts';
import type { QueryInput } from './input.ts';

export interface IamCall {
  deps: IamDeps;
  operation: string;
  input: QueryInput;
  /** The caller's account: every IAM call is about it. */
  accountId: string;
  caller: AuthenticatedCaller;
  by: AuditedBy;
  /** Throws AccessDenied unless the caller may perform `iam:{operation}` on `resource`. */
  authorize(resource: string, context?: Record<string, string>): Promise<void>;
  repos: Repos;
}

/** An operation: returns the inner XML of `<{Operation}Result>`, or '' for none. */
export type IamOperation = (call: IamCall) => Promise<string>;

export function iamCall(deps: IamDeps & { authorizer: Authorizer }, operation: string, input: QueryInput, caller: AuthenticatedCaller, by: AuditedBy, repos: Repos): IamCall {
  const action = `iam:${operation}`;
  const { session } = caller;
  return {
    deps,
    operation,
    input,
    accountId: session.account_id,
    caller,
    by,
    repos,
    async authorize(resource, context = {}) {
      const answer = await deps.authorizer.authorize({
        ...callerPrincipal(caller),
        action,
        resource,
        context: { 'aws:SourceIp': by.context.sourceIp, 'aws:RequestedRegion': caller.region, ...context },
      }, repos);
      if (answer.allowed) return;
      // A refused change is in the trail too, as CloudTrail records AccessDenied calls.
      if (!/^(Get|List)/.test(operation)) {
        await deps.store.transaction((tx) =>
          deps.audit.record(tx, iamChange(by, { eventName: operation, accountId: session.account_id, requestParameters: null, success: false, errorCode: 'AccessDenied', errorMessage: answer.reason }, deps.clock.now())),
        );
      }
      throw accessDenied(caller, action, resource, answer.effect === 'ExplicitDeny' ? `of an explicit deny: ${answer.reason}` : lowerFirst(answer.reason.replace(/^Implicitly denied: /, '')));
    },
  };
}

const lowerFirst = (text: string) => text[0]!.toLowerCase() + text.slice(1);

/** The ARN of an IAM entity as it stands (with its path), or as it would be named at `/`. */
export async function entityResource(call: IamCall, kind: 'user' | 'group' | 'role', name: string): Promise<string> {
  const found = kind === 'user' ? await call.repos.iamUsers.findByName(call.accountId, name) : kind === 'group' ? await call.repos.iamGroups.findByName(call.accountId, name) : await call.repos.iamRoles.findByName(call.accountId, name);
  return found?.arn ?? `arn:aws:iam::${call.accountId}:${kind}/${name}`;
}
