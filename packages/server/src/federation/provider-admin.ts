// Configuring OpenID providers (issue 3): create, list, delete. Each change is written with its
// CloudTrail record (CreateOpenIDConnectProvider / DeleteOpenIDConnectProvider, IAM's own names)
// in one transaction; the client secret is sealed, bound to the provider's id, and appears in no
// record, log or listing.
import type { Sealer } from '../crypto/sealer.ts';
import { recordChange, type AuditedBy, type IamDeps } from '../iam/admin/deps.ts';
import { alreadyExists, invalidInput, noSuchEntity } from '../iam/errors.ts';
import type { OidcProvider, Repos } from '../store/store.ts';
import { IssuerError, oidcProviderArn, parseIssuer } from './provider-identity.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export interface ProviderAdminDeps extends IamDeps {
  sealer: Sealer;
}

export interface ProviderView {
  arn: string;
  accountId: string;
  issuer: string;
  displayName: string;
  clientId: string;
  createdAt: number;
}

export const providerView = (p: OidcProvider): ProviderView => ({ arn: p.arn, accountId: p.account_id, issuer: p.issuer, displayName: p.display_name, clientId: p.client_id, createdAt: p.created_at });

const resource = (arn: string) => [{ type: 'AWS::IAM::OIDCProvider', name: arn }];

function checkText(what: string, value: string | undefined, max: number): string {
  const text = (value ?? '').trim();
  if (text === '' || text.length > max || /[\u0000-\u001f]/.test(text)) throw invalidInput(`${what} must be 1 to ${max} printable characters.`);
  return text;
}

export async function createOidcProvider(
  deps: ProviderAdminDeps,
  by: AuditedBy,
  input: { accountId: string; issuer: string; clientId: string; clientSecret: string; displayName: string },
): Promise<ProviderView> {
  let parsed;
  try {
    parsed = parseIssuer(input.issuer);
  } catch (error) {
    if (error instanceof IssuerError) throw invalidInput(error.message);
    throw error;
  }
  const clientId = checkText('The client id', input.clientId, 255);
  const displayName = checkText('The display name', input.displayName, 64);
  if (input.clientSecret === '' || input.clientSecret.length > 1024) throw invalidInput('The client secret must be 1 to 1024 characters.');
  const id = deps.random.uuid();
  const provider: OidcProvider = {
    id,
    account_id: input.accountId,
    issuer: parsed.issuer,
    path: parsed.path,
    arn: oidcProviderArn(input.accountId, parsed.path),
    display_name: displayName,
    client_id: clientId,
    client_secret_sealed: deps.sealer.seal(input.clientSecret, purposes.oidcClientSecret(id)),
    created_at: deps.clock.now(),
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(input.accountId))) throw noSuchEntity(`There is no account ${input.accountId}.`);
    if (await tx.federation.findProviderByArn(provider.arn)) throw alreadyExists(`Provider with URL ${parsed.issuer} already exists.`);
    await tx.federation.createProvider(provider);
    await recordChange(tx, deps, by, {
      eventName: 'CreateOpenIDConnectProvider',
      accountId: input.accountId,
      requestParameters: { url: parsed.issuer, clientIDList: [clientId] },
      responseElements: { openIDConnectProviderArn: provider.arn },
      resources: resource(provider.arn),
    });
  });
  return providerView(provider);
}

export async function listOidcProviders(repos: Pick<Repos, 'federation'>, accountId?: string): Promise<ProviderView[]> {
  return (await repos.federation.listProviders(accountId)).map(providerView);
}

/** Deletes the provider and its sign-ins in flight; sessions it already opened run to their end, as on AWS. */
export async function deleteOidcProvider(deps: IamDeps, by: AuditedBy, arn: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const provider = await tx.federation.findProviderByArn(arn);
    if (!provider) throw noSuchEntity(`OpenIDConnect provider not found for arn ${arn}.`);
    await tx.federation.deleteProvider(provider.id);
    await recordChange(tx, deps, by, {
      eventName: 'DeleteOpenIDConnectProvider',
      accountId: provider.account_id,
      requestParameters: { openIDConnectProviderArn: arn },
      resources: resource(arn),
    });
  });
}
