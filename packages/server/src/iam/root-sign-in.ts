// Centralised root access management at sign-in (issue 4): a member account whose root
// credentials the organization removed has no root sign-in. The same condition makes the policy
// authorizer refuse every request of the root user's existing sessions.
import type { Repos } from '../store/store.ts';
import { rootCredentialsRemoved } from './principal-policies.ts';

/** Why root may not sign in to `accountId`, or undefined when it may. */
export async function rootSignInRefusal(repos: Pick<Repos, 'organizations'>, accountId: string): Promise<string | undefined> {
  const membership = await repos.organizations.membership(accountId);
  if (!membership || !rootCredentialsRemoved(membership)) return undefined;
  return `Root sign-in to account ${accountId} is turned off: its organization manages root access centrally and removed this account's root credentials. Sign in as an IAM user, or ask the organization's administrators.`;
}
