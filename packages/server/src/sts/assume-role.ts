// AssumeRole (STS API Reference), signed: a principal of Keyless switches into a role. Both sides
// must agree, as AWS evaluates them: the caller's own policies (SCPs included) allow sts:AssumeRole
// on the role, and the role's trust policy admits the caller (`AWS`: its account, user, role or
// session), with sts:ExternalId, MFA, session tags and source identity as condition keys. A role
// session assuming a role is role chaining: at most one hour, its source identity kept, its
// transitive tags passed on. Root may not assume roles.
import { AwsServiceError } from '../aws-api/errors.ts';
import { assumeRoleEvent, assumeRoleRefusedEvent } from '../audit/events/sts-role-session.ts';
import { sessionActor } from '../audit/identity.ts';
import { mfaSerialOf } from '../audit/iam-events.ts';
import { checkTotpCode } from '../console/mfa.ts';
import { reserveAttempt, totpKey } from '../console/throttle.ts';
import { callerPrincipal, type AwsCall, type AwsResult, type AuthenticatedCaller } from '../aws-api/service.ts';
import type { ContextValue, RequestPrincipal } from '../iam/policy/index.ts';
import { awsPrincipalNames, evaluateRoleTrust } from '../iam/role-trust.ts';
import type { AccountView } from './account-directory.ts';
import type { StsDeps } from './deps.ts';
import { notAuthorized, stsError } from './errors.ts';
import { stsInput } from './input.ts';
import { issuedFacts, sessionExtras, type RoleSessionIssuer } from './issue-role-session.ts';
import { DURATION } from './parameters.ts';
import { parseAssumeRoleRequest, type AssumeRoleRequest, type SessionTag } from './requests.ts';
import { roleSessionResult } from './responses.ts';
import { parseRoleArn } from './role-arn.ts';
import { checkSessionLimits } from './session-policies.ts';
import { recordedParameters, requestTagContext, sessionActions, sessionDuration, sessionPoliciesOf } from './session-request.ts';

const ASSUME_ROLE = 'sts:AssumeRole';
const ASSUMED_ROLE = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const USER = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;

/** The caller as policies see it: a user, or a role session (its role's ARN with the path, and its tags). */
async function callerAsPrincipal(account: AccountView, caller: AuthenticatedCaller): Promise<RequestPrincipal> {
  const { session } = caller;
  const role = ASSUMED_ROLE.exec(session.arn);
  if (role) {
    const found = await account.role(role[2]!);
    const roleTags = found ? await account.tags(found.id) : {};
    return {
      arn: session.arn,
      accountId: session.account_id,
      type: 'AssumedRole',
      userId: `${session.principal_id}:${role[3]}`,
      ...(found && found.id === session.principal_id && { roleArn: found.arn }),
      tags: { ...roleTags, ...caller.scope?.tags },
    };
  }
  const user = USER.exec(session.arn);
  return { arn: session.arn, accountId: session.account_id, type: 'IAMUser', userId: session.principal_id, ...(user && { username: user[2] }), tags: await account.tags(session.principal_id) };
}

/** Tags the calling session passes on (its transitive ones), then the request's; a request may not restate an inherited key. */
function sessionTags(caller: AuthenticatedCaller, request: AssumeRoleRequest): { tags: SessionTag[]; transitive: string[] } {
  const inheritedKeys = caller.scope?.transitiveTagKeys ?? [];
  const callerTags = caller.scope?.tags ?? {};
  const inherited = inheritedKeys.filter((key) => Object.hasOwn(callerTags, key)).map((key) => ({ key, value: callerTags[key]! }));
  const taken = new Set(inherited.map((t) => t.key.toLowerCase()));
  for (const tag of request.tags ?? []) {
    if (taken.has(tag.key.toLowerCase())) throw stsError('ValidationError', `The session tag ${tag.key} is a transitive tag of the calling session and cannot be set again.`);
  }
  return { tags: [...inherited, ...(request.tags ?? [])], transitive: [...inherited.map((t) => t.key), ...(request.transitiveTagKeys ?? [])] };
}

/** SerialNumber and TokenCode: the caller's own virtual MFA device and a fresh code from it, throttled like a sign-in's. */
async function checkMfa(deps: StsDeps, caller: AuthenticatedCaller, request: AssumeRoleRequest, now: number): Promise<boolean> {
  if (request.serialNumber === undefined) return caller.session.mfa === 1;
  const failed = () => stsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
  const user = USER.exec(caller.session.arn);
  if (!user || request.serialNumber !== mfaSerialOf({ kind: 'user', name: user[2]!, account_id: caller.session.account_id })) throw failed();
  const reservation = await reserveAttempt(deps.store, [totpKey(caller.session.principal_id)], now);
  if (!reservation.ok) throw failed();
  if ((await checkTotpCode(deps, caller.session.principal_id, request.tokenCode!, now)) !== 'ok') throw failed();
  await reservation.succeeded();
  return true;
}

/**
 * AssumeRole, and CloudTrail's record of a refusal (AccessDenied) by the signed-in caller, as AWS
 * records them; a malformed request (ValidationError and the like) is not recorded.
 */
export async function assumeRole(deps: StsDeps, issue: RoleSessionIssuer, call: Pick<AwsCall, 'protocol' | 'input' | 'context' | 'caller'>): Promise<AwsResult> {
  const request = parseAssumeRoleRequest(stsInput(call.protocol, call.input as Record<string, unknown>));
  try {
    return await assumeParsedRole(deps, issue, call, request);
  } catch (error) {
    if (error instanceof AwsServiceError && error.code === 'AccessDenied') {
      const { caller } = call;
      const refused = assumeRoleRefusedEvent({ region: caller.region, context: call.context, now: deps.clock.now(), caller: sessionActor(caller.session), callerAccessKeyId: caller.accessKeyId, roleArn: request.roleArn, roleSessionName: request.roleSessionName, errorCode: error.code, errorMessage: error.message });
      await deps.store.transaction((tx) => deps.audit.record(tx, refused));
    }
    throw error;
  }
}

async function assumeParsedRole(deps: StsDeps, issue: RoleSessionIssuer, call: Pick<AwsCall, 'context' | 'caller' | 'protocol'>, request: AssumeRoleRequest): Promise<AwsResult> {
  const { caller } = call;
  const roleArn = parseRoleArn(request.roleArn);
  if (caller.session.arn.endsWith(':root')) throw stsError('AccessDenied', 'Roles may not be assumed by root accounts.');
  const chained = ASSUMED_ROLE.test(caller.session.arn);
  const { tags, transitive } = sessionTags(caller, request);
  const packedPolicySize = checkSessionLimits({ ...request, tags });
  // Once set, a source identity stays for every session chained from it.
  const inheritedSource = caller.scope?.sourceIdentity;
  if (inheritedSource !== undefined && request.sourceIdentity !== undefined && request.sourceIdentity !== inheritedSource) {
    throw stsError('AccessDenied', 'The source identity of the calling session is set and cannot be changed.');
  }
  const sourceIdentity = inheritedSource ?? request.sourceIdentity;

  const now = deps.clock.now();
  const mfa = await checkMfa(deps, caller, request, now);
  const requestContext: Record<string, ContextValue> = {
    'aws:SourceIp': call.context.sourceIp,
    'aws:RequestedRegion': caller.region,
    'sts:RoleSessionName': request.roleSessionName,
    ...requestTagContext(request.tags, request.transitiveTagKeys),
    ...(request.externalId !== undefined && { 'sts:ExternalId': request.externalId }),
    ...(request.sourceIdentity !== undefined && { 'sts:SourceIdentity': request.sourceIdentity }),
  };
  const actions = sessionActions(ASSUME_ROLE, { tags: request.tags, ...(request.sourceIdentity !== undefined && { sourceIdentity: request.sourceIdentity }) });
  const { role, principal } = await deps.store.read(async (repos) => {
    // The caller's side first: its identity policies (and SCPs) must allow each action on the role.
    for (const action of actions) {
      const answer = await deps.authorizer.authorize({ ...callerPrincipal(caller), action, resource: roleArn.arn, context: requestContext as Record<string, string> }, repos);
      if (!answer.allowed) throw notAuthorized(caller.session.arn, action, roleArn.arn);
    }
    const roleAccount = await deps.directory.at(repos, roleArn.accountId);
    const callerAccount = caller.session.account_id === roleArn.accountId ? roleAccount : await deps.directory.at(repos, caller.session.account_id);
    return { role: await roleAccount.role(roleArn.name), principal: await callerAsPrincipal(callerAccount, caller) };
  });
  if (!role || role.arn !== roleArn.arn) throw notAuthorized(caller.session.arn, ASSUME_ROLE, roleArn.arn);
  const trust = evaluateRoleTrust(
    {
      role: { arn: role.arn, trustPolicy: role.trust_policy },
      caller: { kind: 'aws', names: awsPrincipalNames(principal) },
      actions,
      principal,
      context: {
        ...requestContext,
        'aws:CurrentTime': new Date(now).toISOString(),
        'aws:EpochTime': Math.floor(now / 1000),
        'aws:MultiFactorAuthPresent': mfa,
        'aws:TokenIssueTime': new Date(caller.tokenIssuedAt).toISOString(),
        ...(inheritedSource !== undefined && { 'aws:SourceIdentity': inheritedSource }),
      },
    },
    deps.compiled,
  );
  if (!trust.allowed) throw notAuthorized(caller.session.arn, ASSUME_ROLE, role.arn);
  const durationSeconds = sessionDuration(request.durationSeconds, role.max_session_seconds, DURATION.max, chained);

  const extras = sessionExtras(packedPolicySize, sourceIdentity);
  const issued = await issue(
    {
      operation: 'AssumeRole',
      role,
      sessionName: request.roleSessionName,
      durationSeconds,
      mfa,
      region: caller.region,
      sourceIp: call.context.sourceIp,
      ...(sourceIdentity !== undefined && { sourceIdentity }),
      ...sessionPoliciesOf(request),
      ...(tags.length && { tags }),
      ...(transitive.length && { transitiveTagKeys: transitive }),
    },
    (session) =>
      assumeRoleEvent({
        region: caller.region,
        context: call.context,
        now,
        roleAccountId: role.account_id,
        caller: sessionActor(caller.session),
        callerAccessKeyId: caller.accessKeyId,
        request: {
          ...recordedParameters(request),
          ...(request.tags && { tags: request.tags }),
          ...(request.transitiveTagKeys && { transitiveTagKeys: request.transitiveTagKeys }),
          ...(request.sourceIdentity !== undefined && { sourceIdentity: request.sourceIdentity }),
          ...(request.externalId !== undefined && { externalId: request.externalId }),
          ...(request.serialNumber !== undefined && { serialNumber: request.serialNumber }),
        },
        issued: issuedFacts(session, extras),
      }),
  );
  return roleSessionResult(call.protocol, { issued, ...extras });
}
