// The roles, principals' tags and OpenID providers STS looks up on every call, kept per account for as long as the
// account's policy generation stands still. Every change to a role, a trust policy or a provider
// (and its client ids) moves that generation in its own transaction (iam/admin/deps.ts,
// recordChange), on whichever instance makes it — so, as with the authorizer's policy cache, a
// change is seen at the very next call everywhere, at the cost of one indexed read per call.
// What is read after the generation is at least as new as it, so it is kept under it.
import type { IamRole, OidcProvider, Repos, Tags } from '../store/store.ts';

export interface TrustedProvider {
  provider: OidcProvider;
  /** Its client ids: the `aud` values its tokens may carry. */
  audiences: readonly string[];
}

/** One account's entities as of one generation. */
export interface AccountView {
  role(name: string): Promise<IamRole | undefined>;
  /** A user's or role's tags (aws:PrincipalTag of a caller). */
  tags(ownerId: string): Promise<Tags>;
  provider(arn: string): Promise<TrustedProvider | undefined>;
}

export interface AccountDirectory {
  at(repos: Pick<Repos, 'policyState' | 'iamRoles' | 'iamTags' | 'federation'>, accountId: string): Promise<AccountView>;
}

interface Entry {
  generation: number;
  roles: Map<string, Promise<IamRole | undefined>>;
  tags: Map<string, Promise<Tags>>;
  providers: Map<string, Promise<TrustedProvider | undefined>>;
}

export function createAccountDirectory(options: { maxAccounts?: number; maxPerAccount?: number } = {}): AccountDirectory {
  const maxAccounts = options.maxAccounts ?? 1000;
  const maxPerAccount = options.maxPerAccount ?? 1000;
  const accounts = new Map<string, Entry>();

  const remembered = <T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    let found = map.get(key);
    if (!found) {
      if (map.size >= maxPerAccount) map.clear();
      found = read();
      map.set(key, found);
      // A failed read is not remembered.
      found.catch(() => map.get(key) === found && map.delete(key));
    }
    return found;
  };

  return {
    async at(repos, accountId) {
      const { account: generation } = await repos.policyState.generations(accountId);
      let entry = accounts.get(accountId);
      if (!entry || entry.generation !== generation) {
        if (!entry && accounts.size >= maxAccounts) accounts.delete(accounts.keys().next().value!);
        entry = { generation, roles: new Map(), tags: new Map(), providers: new Map() };
        accounts.set(accountId, entry);
      }
      const { roles, tags, providers } = entry;
      return {
        // IAM role names are case-insensitive: the key is the name as asked, the row says which role it is.
        role: (name) => remembered(roles, name, () => repos.iamRoles.findByName(accountId, name)),
        tags: (ownerId) => remembered(tags, ownerId, () => repos.iamTags.list(ownerId)),
        provider: (arn) =>
          remembered(providers, arn, async () => {
            const provider = await repos.federation.findProviderByArn(arn);
            return provider && provider.account_id === accountId ? { provider, audiences: await repos.federation.audiencesOf(provider.id) } : undefined;
          }),
      };
    },
  };
}
