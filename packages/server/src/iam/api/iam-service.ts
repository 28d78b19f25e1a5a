// IAM's Query API (version 2010-05-08) as an AWS service of the front door: an administrator signs
// in with `keyless login` and runs `aws iam …` or `@aws-sdk/client-iam` against Keyless — no
// long-lived keys. Every operation is itself authorised by IAM policy (`iam:{Operation}` on the
// entity's ARN) through the Authorizer; errors keep IAM's codes and statuses.
import { sessionActor } from '../../audit/identity.ts';
import { AwsServiceError } from '../../aws-api/errors.ts';
import type { AwsService } from '../../aws-api/service.ts';
import type { IamDeps } from '../admin/deps.ts';
import type { Authorizer } from '../authorizer.ts';
import { IamError } from '../errors.ts';
import { OrganizationsError } from '../admin/organizations.ts';
import { attachmentOperations } from './attachments.ts';
import { iamCall, type IamOperation } from './call.ts';
import { groupOperations } from './groups.ts';
import { inlinePolicyOperations } from './inline-policies.ts';
import type { QueryInput } from './input.ts';
import { loginProfileOperations } from './login-profiles.ts';
import { oidcProviderOperations } from './oidc-providers.ts';
import { policyOperations } from './policies.ts';
import { roleOperations } from './roles.ts';
import { userOperations } from './users.ts';

export const IAM_VERSION = '2010-05-08';

export const IAM_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  ...userOperations,
  ...loginProfileOperations,
  ...groupOperations,
  ...roleOperations,
  ...policyOperations,
  ...attachmentOperations,
  ...inlinePolicyOperations,
  ...oidcProviderOperations,
};

export function createIamService(deps: IamDeps & { authorizer: Authorizer }): AwsService {
  return {
    signingName: 'iam',
    query: { version: IAM_VERSION, xmlns: `https://iam.amazonaws.com/doc/${IAM_VERSION}/` },
    async handle({ operation, input, caller, context }) {
      const run = Object.hasOwn(IAM_OPERATIONS, operation) ? IAM_OPERATIONS[operation] : undefined;
      if (!run) throw new AwsServiceError('InvalidAction', `Keyless's IAM does not implement ${operation}.`);
      const { session } = caller;
      const by = {
        actor: sessionActor(session),
        context,
        accessKeyId: caller.accessKeyId,
      };
      try {
        const xml = await deps.store.read((repos) => run(iamCall(deps, operation, input as QueryInput, caller, by, repos)));
        // Indented on a line of its own, as the front door's wrapper expects: stray text beside
        // the elements would make the SDK's XML parser read the result as text.
        return { xml: xml ? `    ${xml}\n` : '' };
      } catch (error) {
        if (error instanceof IamError || error instanceof OrganizationsError) throw new AwsServiceError(error.code, error.message);
        throw error;
      }
    },
  };
}
