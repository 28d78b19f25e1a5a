// AssumeRoleWithWebIdentity (STS API Reference), unsigned as on AWS: the token is the credential.
// Steps, in the order AWS refuses a request: the parameters; the session policy; the token (its
// provider in the role's account, signature, audience, times); the claims that become session
// tags and source identity; the role and its maximum session duration; the trust policy with the
// provider's condition keys; then the session, its credentials and their CloudTrail record.
import { assumeRoleWithWebIdentityEvent } from '../audit/events/sts-role-session.ts';
import { assumedRoleArn, conditionClaims, webIdentityContext } from '../federation/provider-identity.ts';
import type { AwsProtocol, AwsResult, UnsignedAwsCall } from '../aws-api/service.ts';
import type { ContextValue } from '../iam/policy/index.ts';
import { evaluateRoleTrust } from '../iam/role-trust.ts';
import { ASSUME_ROLE_WITH_WEB_IDENTITY } from '../iam/web-identity-trust.ts';
import type { StsDeps } from './deps.ts';
import { stsError } from './errors.ts';
import { stsInput } from './input.ts';
import { issuedFacts, sessionExtras, type RoleSessionIssuer } from './issue-role-session.ts';
import { DURATION } from './parameters.ts';
import { parseWebIdentityRequest } from './requests.ts';
import { roleSessionResult } from './responses.ts';
import { parseRoleArn } from './role-arn.ts';
import { checkSessionLimits } from './session-policies.ts';
import { recordedParameters, requestTagContext, sessionActions, sessionDuration, sessionPoliciesOf } from './session-request.ts';
import { sessionFactsOf } from './token-claims.ts';
import { verifyWebIdentityToken } from './web-identity-token.ts';

const notAuthorized = () => stsError('AccessDenied', `Not authorized to perform ${ASSUME_ROLE_WITH_WEB_IDENTITY}`);

export async function assumeRoleWithWebIdentity(deps: StsDeps, issue: RoleSessionIssuer, call: Pick<UnsignedAwsCall, 'protocol' | 'input' | 'context'>): Promise<AwsResult> {
  const request = parseWebIdentityRequest(stsInput(call.protocol as AwsProtocol, call.input as Record<string, unknown>));
  if (request.providerId !== undefined) throw stsError('ValidationError', 'ProviderId is for OAuth 2.0 access tokens; it must not be given with an OpenID Connect ID token.');
  const roleArn = parseRoleArn(request.roleArn);
  checkSessionLimits(request);

  // Reads only, outside any transaction: the provider, its audiences and the role (account-directory.ts).
  const { identity, role } = await deps.store.read(async (repos) => {
    const account = await deps.directory.at(repos, roleArn.accountId);
    const identity = await verifyWebIdentityToken({ account, discovery: deps.discovery, keySetFor: deps.keySetFor, clock: deps.clock }, request.webIdentityToken, roleArn.accountId);
    return { identity, role: await account.role(roleArn.name) };
  });
  const facts = sessionFactsOf(identity.claims);
  const packedPolicySize = checkSessionLimits({ ...request, ...(facts.tags && { tags: facts.tags }) });

  if (!role || role.arn !== roleArn.arn) throw notAuthorized();
  const durationSeconds = sessionDuration(request.durationSeconds, role.max_session_seconds, DURATION.max);

  const now = deps.clock.now();
  const { provider } = identity;
  const context: Record<string, ContextValue> = {
    ...webIdentityContext(provider.path, provider.arn, conditionClaims(identity.claims)),
    // The audience that matched, whatever else `aud` listed (IAM's `{provider}:aud`).
    [`${provider.path}:aud`]: identity.audience,
    'aws:CurrentTime': new Date(now).toISOString(),
    'aws:EpochTime': Math.floor(now / 1000),
    'aws:SourceIp': call.context.sourceIp,
    'sts:RoleSessionName': request.roleSessionName,
    ...requestTagContext(facts.tags, facts.transitiveTagKeys),
    ...(facts.sourceIdentity !== undefined && { 'sts:SourceIdentity': facts.sourceIdentity }),
  };
  const sessionArn = assumedRoleArn(role.account_id, role.name, request.roleSessionName);
  const trust = evaluateRoleTrust(
    {
      role: { arn: role.arn, trustPolicy: role.trust_policy },
      caller: { kind: 'federated', providerArn: provider.arn },
      actions: sessionActions(ASSUME_ROLE_WITH_WEB_IDENTITY, facts),
      principal: { arn: sessionArn, accountId: role.account_id, type: 'AssumedRole', userId: `${role.id}:${request.roleSessionName}`, roleArn: role.arn },
      context,
    },
    deps.compiled,
  );
  if (!trust.allowed) throw notAuthorized();

  const extras = sessionExtras(packedPolicySize, facts.sourceIdentity);
  const issued = await issue(
    {
      operation: 'AssumeRoleWithWebIdentity',
      role,
      sessionName: request.roleSessionName,
      durationSeconds,
      mfa: false,
      region: deps.region,
      sourceIp: call.context.sourceIp,
      ...(facts.sourceIdentity !== undefined && { sourceIdentity: facts.sourceIdentity }),
      ...sessionPoliciesOf(request),
      ...(facts.tags && { tags: facts.tags }),
      ...(facts.transitiveTagKeys && { transitiveTagKeys: facts.transitiveTagKeys }),
      federatedProvider: provider.arn,
    },
    (session) =>
      assumeRoleWithWebIdentityEvent({
        region: deps.region,
        context: call.context,
        now,
        roleAccountId: role.account_id,
        providerArn: provider.arn,
        issuer: provider.issuer,
        subject: identity.subject,
        audience: identity.audience,
        request: recordedParameters(request),
        issued: issuedFacts(session, extras),
      }),
  );
  return roleSessionResult(call.protocol, { issued, ...extras, webIdentity: { subject: identity.subject, audience: identity.audience, provider: provider.issuer } });
}
