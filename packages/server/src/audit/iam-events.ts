// Administrative changes as CloudTrail records them: IAM's API calls (eventSource
// iam.amazonaws.com, recorded in us-east-1 because IAM is global), with the IAM event names
// (CreateUser, CreateLoginProfile, UpdateLoginProfile, …). Whoever changes the directory — the
// operator's `keyless admin`, or a signed-in principal through the IAM Query API — records one
// of these in the same transaction as the change (audit/events/iam-change.ts).
import { rootArn } from '@keyless/protocol';
import type { Random } from '../crypto/ids.ts';
import type { RequestContext } from '../request-context.ts';
import type { AuditResource, Principal } from '../store/store.ts';
import { KEYLESS_ADMIN, type Actor } from './identity.ts';

export const IAM_SOURCE = 'iam.amazonaws.com';
export const ORGANIZATIONS_SOURCE = 'organizations.amazonaws.com';
/** CloudTrail records the calls of global services (IAM, Organizations) in us-east-1. */
export const GLOBAL_SERVICE_REGION = 'us-east-1';
/** What AWS writes in place of values it will not log (CreateAccount's e-mail). */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Who made a change and through which request: the record's userIdentity and request fields. */
export interface AuditedBy {
  actor: Actor;
  context: RequestContext;
  /** The key the request was signed with (IAM Query API callers). */
  accessKeyId?: string;
}

/** `keyless admin` (or bootstrap) at the server: no network request, so the tool names itself. */
export function operatorRequest(random: Random, command: string): AuditedBy {
  return { actor: KEYLESS_ADMIN, context: { requestId: random.uuid(), sourceIp: KEYLESS_ADMIN.operator, userAgent: `${KEYLESS_ADMIN.operator} ${command}`.trim() } };
}

export interface IamChange {
  eventName: string;
  /** The account whose directory changed: the record's recipientAccountId. */
  accountId: string;
  requestParameters: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources?: readonly AuditResource[];
  eventSource?: string;
  success?: boolean;
  errorCode?: string;
  errorMessage?: string;
}

/** CloudTrail writes IAM's createDate the way the IAM API's JSON serialiser does: "Nov 23, 2026 8:29:00 PM". */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function iamDate(ms: number): string {
  const d = new Date(ms);
  // Not toLocaleString: it cost 6% of an AssumeRole's CPU (the record's credential expiry).
  const month = MONTHS[d.getUTCMonth()]!;
  const hours = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hours}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** The IAM user a change is about, as LookupEvents lists it; root is the account, not a user. */
export const userResource = (principal: Pick<Principal, 'kind' | 'name'>): AuditResource[] =>
  principal.kind === 'root' ? [] : [{ type: 'AWS::IAM::User', name: principal.name }];

/** IAM's requestParameters naming the user (`userName`); root's own settings name no user. */
export const userParameters = (principal: Pick<Principal, 'kind' | 'name'>): Record<string, unknown> =>
  principal.kind === 'root' ? {} : { userName: principal.name };

/** The serial number (ARN) of a principal's virtual MFA device, as IAM names them. */
export const mfaSerialOf = (principal: Pick<Principal, 'kind' | 'name' | 'account_id'>): string =>
  principal.kind === 'root' ? `${rootArn(principal.account_id).replace(/:root$/, ':mfa/root-account-mfa-device')}` : `arn:aws:iam::${principal.account_id}:mfa/${principal.name}`;
