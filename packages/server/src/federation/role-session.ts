// Step 4: the user picked a role. Ask its trust policy again (it may have changed since the
// callback), then open a console session as the role session
// `arn:aws:sts::{account}:assumed-role/{role}/{session}` under the five-per-browser limit, for no
// longer than the role's maximum session duration. What follows is exactly a password sign-in's.
import type { RequestContext } from '../request-context.ts';
import { openConsoleSession } from '../console/open-session.ts';
import type { ConsoleSession, IamRole, OidcProvider } from '../store/store.ts';
import type { FederationDeps } from './deps.ts';
import { FederationError } from './errors.ts';
import { roleAdmits } from './eligible-roles.ts';
import { assumedRoleArn, roleSessionName } from './provider-identity.ts';
import { sealRoleChoice, ROLE_CHOICE_MS, type RoleChoice } from './role-choice.ts';

export type RoleSessionOutcome =
  | { kind: 'signed-in'; session: ConsoleSession }
  /** The browser has five sessions: `pending` is the choice with the role picked, for the sign-out chooser. */
  | { kind: 'choose-session'; pending: string; sessions: ConsoleSession[]; sessionArn: string };

export const noRole = (providerName: string, detail: string) =>
  new FederationError('NoRole', 'No role for you here', `You signed in with ${providerName}, but no role in Keyless trusts ${providerName} to sign you in. Ask your administrator to give you a role.`, detail);

export async function signInAsRole(
  deps: FederationDeps,
  choice: RoleChoice,
  roleId: string,
  context: RequestContext,
  endSessionId?: string,
): Promise<RoleSessionOutcome> {
  const now = deps.clock.now();
  const picked = choice.roles.find((role) => role.id === roleId);
  const provider = await deps.store.read((rs) => rs.federation.findProvider(choice.providerId));
  if (!provider) throw noRole('your identity provider', 'provider gone');
  // The claims were verified at the callback and sealed in the choice: the refusal names them.
  const attempt = { provider, claims: choice.claims };
  if (!picked) throw noRole(provider.display_name, 'picked role not offered').attributedTo(attempt);
  const role = await deps.store.read((rs) => rs.iamRoles.findByName(provider.account_id, picked.name));
  // The same name may be a new role since the callback; only the one offered counts.
  if (!role || role.id !== picked.id || !roleAdmits(role, { provider, claims: choice.claims, now, sourceIp: context.sourceIp })) {
    throw noRole(provider.display_name, `role ${picked.name} gone or no longer trusts these claims`).attributedTo(attempt);
  }
  const sessionName = roleSessionName(choice.claims);
  const sessionArn = assumedRoleArn(role.account_id, role.name, sessionName);
  const principal = await deps.store.read((rs) => rs.federation.rolePrincipal(role, now));
  const opened = await openConsoleSession(deps, {
    principal,
    browserDigest: choice.browserDigest,
    mfa: false,
    context,
    endSessionId,
    role: { arn: sessionArn, sessionName, lifetimeMs: role.max_session_seconds * 1000, federatedProvider: provider.arn },
  });
  if (opened.ok) return { kind: 'signed-in', session: opened.session };
  const pending = sealRoleChoice(deps.sealer, { ...choice, chosenRoleId: role.id, expiresAt: now + ROLE_CHOICE_MS });
  return { kind: 'choose-session', pending, sessions: opened.full, sessionArn };
}

/** What the role picker lists for a role. */
export interface RoleOption {
  id: string;
  name: string;
  accountId: string;
  sessionArn: string;
  maxSessionSeconds: number;
}

export const roleOptionOf = (role: IamRole, provider: OidcProvider, sessionName: string): RoleOption => ({
  id: role.id,
  name: role.name,
  accountId: provider.account_id,
  sessionArn: assumedRoleArn(role.account_id, role.name, sessionName),
  maxSessionSeconds: role.max_session_seconds,
});
