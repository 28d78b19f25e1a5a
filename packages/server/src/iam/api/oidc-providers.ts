// CreateOpenIDConnectProvider, GetOpenIDConnectProvider, ListOpenIDConnectProviders,
// AddClientIDToOpenIDConnectProvider, DeleteOpenIDConnectProvider (issue 16): the providers whose
// tokens AssumeRoleWithWebIdentity takes, in the store `keyless admin create-oidc-provider` writes
// to. Each is authorised as `iam:{Operation}` on the provider's ARN (the list on the account's
// `oidc-provider/*`). IAM returns the provider's Url without its scheme.
import { addClientId, createWebIdentityProvider, deleteOidcProvider, getOidcProvider, listOidcProviders } from '../../federation/provider-admin.ts';
import { IssuerError, oidcProviderArn, parseIssuer } from '../../federation/provider-identity.ts';
import { invalidInput } from '../errors.ts';
import type { IamOperation } from './call.ts';
import { required, stringList } from './input.ts';
import { el, iso, members, wrap } from './xml.ts';

const ARN = 'OpenIDConnectProviderArn';

/** The ARN the provider at `url` would have in the caller's account, for authorising its creation. */
function arnFor(accountId: string, url: string): string {
  try {
    return oidcProviderArn(accountId, parseIssuer(url).path);
  } catch (error) {
    if (error instanceof IssuerError) throw invalidInput(error.message);
    throw error;
  }
}

export const oidcProviderOperations: Record<string, IamOperation> = {
  async CreateOpenIDConnectProvider(call) {
    const url = required(call.input, 'Url');
    if (url.length > 255) throw invalidInput('Url must be at most 255 characters.');
    await call.authorize(arnFor(call.accountId, url));
    const provider = await createWebIdentityProvider(call.deps, call.by, { accountId: call.accountId, url, clientIds: stringList(call.input, 'ClientIDList') });
    return el(ARN, provider.arn);
  },

  async GetOpenIDConnectProvider(call) {
    const arn = required(call.input, ARN);
    await call.authorize(arn);
    const provider = await getOidcProvider(call.repos, call.accountId, arn);
    return el('Url', provider.issuer.replace(/^https?:\/\//, '')) + members('ClientIDList', provider.clientIds, (id) => id) + wrap('ThumbprintList', '') + el('CreateDate', iso(provider.createdAt));
  },

  async ListOpenIDConnectProviders(call) {
    await call.authorize(`arn:aws:iam::${call.accountId}:oidc-provider/*`);
    const providers = await listOidcProviders(call.repos, call.accountId);
    return members('OpenIDConnectProviderList', providers, (p) => el('Arn', p.arn));
  },

  async AddClientIDToOpenIDConnectProvider(call) {
    const arn = required(call.input, ARN);
    await call.authorize(arn);
    await addClientId(call.deps, call.by, { accountId: call.accountId, arn, clientId: required(call.input, 'ClientID') });
    return '';
  },

  async DeleteOpenIDConnectProvider(call) {
    const arn = required(call.input, ARN);
    await call.authorize(arn);
    await deleteOidcProvider(call.deps, call.by, arn, call.accountId);
    return '';
  },
};
