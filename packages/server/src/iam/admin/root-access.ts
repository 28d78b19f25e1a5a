// Centralised root access management (IAM's EnableOrganizationsRootCredentialsManagement): once the
// organization enables it, the management account may remove a member account's root credentials;
// from then on root sign-in and root `keyless login` for that account are refused, and the root
// user's existing login sessions stop at their next refresh (the authorizer refuses them).
import { IAM_SOURCE } from '../../audit/iam-events.ts';
import { recordChange, type AuditedBy, type IamDeps } from './deps.ts';
import { organizationOf, OrganizationsError } from './organizations.ts';

export async function setRootAccessManagement(deps: IamDeps, by: AuditedBy, input: { organizationId: string; enabled: boolean }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const organization = await organizationOf(tx, input.organizationId);
    await tx.organizations.setRootAccessManagement(organization.id, input.enabled);
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: input.enabled ? 'EnableOrganizationsRootCredentialsManagement' : 'DisableOrganizationsRootCredentialsManagement',
        eventSource: IAM_SOURCE,
        accountId: organization.management_account_id,
        requestParameters: null,
        responseElements: { organizationId: organization.id, enabledFeatures: input.enabled ? ['RootCredentialsManagement'] : [] },
      },
      'org',
    );
  });
}

/** Removes (or, with `removed: false`, gives back) a member account's root credentials. */
export async function setRootCredentialsRemoved(deps: IamDeps, by: AuditedBy, input: { accountId: string; removed: boolean }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const membership = await tx.organizations.membership(input.accountId);
    if (!membership) throw new OrganizationsError('AccountNotFoundException', `Account ${input.accountId} is not in an organization.`);
    const { organization } = membership;
    if (organization.management_account_id === input.accountId) {
      throw new OrganizationsError('ConstraintViolationException', "The management account's root credentials are not centrally managed.");
    }
    if (input.removed && organization.root_access_management !== 1) {
      throw new OrganizationsError('ConstraintViolationException', `Centralised root access management is not enabled for ${organization.id}; enable it first.`);
    }
    await tx.organizations.setRootCredentialsRemoved(input.accountId, input.removed ? deps.clock.now() : null);
    // Recorded in the member account, as AWS records the privileged task done there with AssumeRoot.
    await recordChange(
      tx,
      deps,
      by,
      {
        eventName: input.removed ? 'DeleteLoginProfile' : 'CreateLoginProfile',
        eventSource: IAM_SOURCE,
        accountId: input.accountId,
        requestParameters: { rootCredentialsManagement: input.removed ? 'RootCredentialsRemoved' : 'RootPasswordRecoveryAllowed', organizationId: organization.id },
      },
      'org',
    );
  });
}

export { organizationOf };
