// Step 3: which roles may these claims assume? Every role of the provider's account whose trust
// policy names the provider is evaluated for sts:AssumeRoleWithWebIdentity (iam/web-identity-trust.ts),
// with the claims as `{path}:{claim}` condition keys, the clock and the source address.
import type { ContextValue } from '../iam/policy/index.ts';
import { evaluateWebIdentityTrust } from '../iam/web-identity-trust.ts';
import type { IamRole, OidcProvider, Repos } from '../store/store.ts';
import { assumedRoleArn, roleSessionName, webIdentityContext, type ConditionClaims } from './provider-identity.ts';

export interface TrustInput {
  provider: OidcProvider;
  claims: ConditionClaims;
  now: number;
  sourceIp: string;
}

/** Does `role` admit this web identity now? */
export function roleAdmits(role: IamRole, input: TrustInput): boolean {
  const sessionName = roleSessionName(input.claims);
  const context: Record<string, ContextValue> = {
    ...webIdentityContext(input.provider.path, input.provider.arn, input.claims),
    'aws:CurrentTime': new Date(input.now).toISOString(),
    'aws:EpochTime': Math.floor(input.now / 1000),
    'aws:SourceIp': input.sourceIp,
  };
  return evaluateWebIdentityTrust({
    role: { arn: role.arn, trustPolicy: role.trust_policy },
    providerArn: input.provider.arn,
    session: { arn: assumedRoleArn(role.account_id, role.name, sessionName), accountId: role.account_id, type: 'AssumedRole', userId: `${role.id}:${sessionName}`, roleArn: role.arn },
    context,
  }).allowed;
}

/** The roles, by name, that admit these claims. A provider's ARN names its account, so only that account's roles can. */
export async function eligibleRoles(repos: Pick<Repos, 'federation'>, input: TrustInput): Promise<IamRole[]> {
  const candidates = await repos.federation.rolesTrustingOidcProviders();
  return candidates.filter((role) => role.account_id === input.provider.account_id && roleAdmits(role, input));
}
