// Configuring OpenID providers (issue 3; issue 16 for IAM's own API): create, get, list, add a
// client id, delete. One store for both: `keyless admin create-oidc-provider` makes a provider that
// signs people in to the console (with a client secret) and whose tokens STS also takes; IAM's
// CreateOpenIDConnectProvider makes one with a list of client ids and no secret, whose tokens only
// STS takes (AssumeRoleWithWebIdentity). Each change is written with its CloudTrail record (IAM's
// own event names) in one transaction; a client secret is sealed, bound to the provider's id, and
// appears in no record, log or listing.
import type { Sealer } from '../crypto/sealer.ts';
import { recordChange, type AuditedBy, type IamDeps } from '../iam/admin/deps.ts';
import { alreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../iam/errors.ts';
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
  /** Whether it offers console sign-in (it has a client secret). */
  signIn: boolean;
}

export const providerView = (p: OidcProvider): ProviderView => ({
  arn: p.arn,
  accountId: p.account_id,
  issuer: p.issuer,
  displayName: p.display_name,
  clientId: p.client_id,
  createdAt: p.created_at,
  signIn: offersSignIn(p),
});

/** A provider made through IAM's API has no client secret: its tokens serve STS, not console sign-in. */
export const offersSignIn = (p: Pick<OidcProvider, 'client_secret_sealed'>): boolean => p.client_secret_sealed !== '';

/** IAM's quotas and the model's lengths (IAM API Reference, CreateOpenIDConnectProvider). */
export const CLIENT_IDS_PER_PROVIDER = 100;

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
  const parsed = parsedIssuer(input.issuer);
  const clientId = checkText('The client id', input.clientId, 255);
  const displayName = checkText('The display name', input.displayName, 64);
  if (input.clientSecret === '' || input.clientSecret.length > 1024) throw invalidInput('The client secret must be 1 to 1024 characters.');
  const id = deps.random.uuid();
  const provider = newProvider(deps, { id, accountId: input.accountId, parsed, clientId, displayName, secretSealed: deps.sealer.seal(input.clientSecret, purposes.oidcClientSecret(id)) });
  await insertProvider(deps, by, provider, [clientId]);
  return providerView(provider);
}

function newProvider(deps: IamDeps, input: { id: string; accountId: string; parsed: { issuer: string; path: string }; clientId: string; displayName: string; secretSealed: string }): OidcProvider {
  return {
    id: input.id,
    account_id: input.accountId,
    issuer: input.parsed.issuer,
    path: input.parsed.path,
    arn: oidcProviderArn(input.accountId, input.parsed.path),
    display_name: input.displayName,
    client_id: input.clientId,
    client_secret_sealed: input.secretSealed,
    created_at: deps.clock.now(),
  };
}

async function insertProvider(deps: IamDeps, by: AuditedBy, provider: OidcProvider, clientIds: readonly string[]): Promise<void> {
  await deps.store.transaction(async (tx) => {
    if (!(await tx.directory.findAccount(provider.account_id))) throw noSuchEntity(`There is no account ${provider.account_id}.`);
    if (await tx.federation.findProviderByArn(provider.arn)) throw alreadyExists(`Provider with URL ${provider.issuer} already exists.`);
    await tx.federation.createProvider(provider, clientIds);
    await recordChange(tx, deps, by, {
      eventName: 'CreateOpenIDConnectProvider',
      accountId: provider.account_id,
      requestParameters: { url: provider.issuer, clientIDList: [...clientIds] },
      responseElements: { openIDConnectProviderArn: provider.arn },
      resources: resource(provider.arn),
    });
  });
}

function parsedIssuer(url: string): { issuer: string; path: string } {
  try {
    return parseIssuer(url);
  } catch (error) {
    if (error instanceof IssuerError) throw invalidInput(error.message);
    throw error;
  }
}

/**
 * IAM's CreateOpenIDConnectProvider: a provider of web identities for AssumeRoleWithWebIdentity,
 * with the client ids (`aud` values) its tokens may carry. Thumbprints are not kept: Keyless
 * trusts the issuer's certificate through the system's CA store, as AWS now does for most issuers.
 */
export async function createWebIdentityProvider(deps: IamDeps, by: AuditedBy, input: { accountId: string; url: string; clientIds: readonly string[] }): Promise<ProviderView> {
  const parsed = parsedIssuer(input.url);
  const clientIds = [...new Set(input.clientIds.map((id) => checkText('A client id', id, 255)))];
  if (clientIds.length > CLIENT_IDS_PER_PROVIDER) throw invalidInput(`A provider has at most ${CLIENT_IDS_PER_PROVIDER} client ids.`);
  const provider = newProvider(deps, { id: deps.random.uuid(), accountId: input.accountId, parsed, clientId: clientIds[0] ?? '', displayName: parsed.path.slice(0, 64), secretSealed: '' });
  await insertProvider(deps, by, provider, clientIds);
  return providerView(provider);
}

export interface ProviderDetails extends ProviderView {
  clientIds: string[];
}

/** IAM's GetOpenIDConnectProvider: the provider of this account with its client ids. */
export async function getOidcProvider(repos: Pick<Repos, 'federation'>, accountId: string, arn: string): Promise<ProviderDetails> {
  const provider = await repos.federation.findProviderByArn(arn);
  if (!provider || provider.account_id !== accountId) throw noSuchEntity(`OpenIDConnect provider not found for arn ${arn}.`);
  return { ...providerView(provider), clientIds: await repos.federation.audiencesOf(provider.id) };
}

/** IAM's AddClientIDToOpenIDConnectProvider: adding one it has already is no error, as in IAM. */
export async function addClientId(deps: IamDeps, by: AuditedBy, input: { accountId: string; arn: string; clientId: string }): Promise<void> {
  const clientId = checkText('The client id', input.clientId, 255);
  await deps.store.transaction(async (tx) => {
    const provider = await tx.federation.findProviderByArn(input.arn);
    if (!provider || provider.account_id !== input.accountId) throw noSuchEntity(`OpenIDConnect provider not found for arn ${input.arn}.`);
    const audiences = await tx.federation.audiencesOf(provider.id);
    if (!audiences.includes(clientId) && audiences.length >= CLIENT_IDS_PER_PROVIDER) throw limitExceeded(`A provider has at most ${CLIENT_IDS_PER_PROVIDER} client ids.`);
    await tx.federation.addAudience(provider.id, clientId, deps.clock.now());
    await recordChange(tx, deps, by, {
      eventName: 'AddClientIDToOpenIDConnectProvider',
      accountId: provider.account_id,
      requestParameters: { openIDConnectProviderArn: input.arn, clientID: clientId },
      resources: resource(input.arn),
    });
  });
}

export async function listOidcProviders(repos: Pick<Repos, 'federation'>, accountId?: string): Promise<ProviderView[]> {
  return (await repos.federation.listProviders(accountId)).map(providerView);
}

/** Deletes the provider and its sign-ins in flight; sessions it already opened run to their end, as on AWS. */
export async function deleteOidcProvider(deps: IamDeps, by: AuditedBy, arn: string, accountId?: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const provider = await tx.federation.findProviderByArn(arn);
    // Through IAM's API, only the caller's own account's provider (the operator may name any).
    if (!provider || (accountId !== undefined && provider.account_id !== accountId)) throw noSuchEntity(`OpenIDConnect provider not found for arn ${arn}.`);
    await tx.federation.deleteProvider(provider.id);
    await recordChange(tx, deps, by, {
      eventName: 'DeleteOpenIDConnectProvider',
      accountId: provider.account_id,
      requestParameters: { openIDConnectProviderArn: arn },
      resources: resource(arn),
    });
  });
}
