// `keyless admin simulate`: the decision the enforcement points would reach for a principal, an
// action and a resource, with the engine's explanation (which statement or SCP decided). The
// principal is named by ARN: root, an IAM user, a role (as a session of it), or a role session.
import type { Clock } from '../../clock.ts';
import type { Store } from '../../store/store.ts';
import type { AuthorizationQuestion } from '../authorizer.ts';
import { noSuchEntity, invalidInput } from '../errors.ts';
import { createPolicyAuthorizer, type Simulation } from '../policy-authorizer.ts';

const ROOT = /^arn:aws:iam::(\d{12}):root$/;
const USER = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;
const ROLE = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const ROLE_SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;

export async function principalOf(store: Store, arn: string, mfa: boolean): Promise<AuthorizationQuestion['principal']> {
  const root = ROOT.exec(arn);
  if (root) {
    if (!(await store.read((rs) => rs.directory.findAccount(root[1]!)))) throw noSuchEntity(`There is no account ${root[1]}.`);
    return { principal_id: root[1]!, account_id: root[1]!, arn, mfa: mfa ? 1 : 0 };
  }
  const user = USER.exec(arn);
  if (user) {
    const found = await store.read((rs) => rs.iamUsers.findByName(user[1]!, user[2]!));
    if (!found) throw noSuchEntity(`There is no user ${arn}.`);
    return { principal_id: found.id, account_id: found.account_id, arn: found.arn, mfa: mfa ? 1 : 0 };
  }
  const role = ROLE.exec(arn);
  const session = ROLE_SESSION.exec(arn);
  if (role || session) {
    const [, accountId, roleName] = (role ?? session)!;
    const found = await store.read((rs) => rs.iamRoles.findByName(accountId!, roleName!));
    if (!found) throw noSuchEntity(`There is no role ${roleName} in ${accountId}.`);
    const sessionName = session?.[3] ?? 'keyless-simulate';
    return { principal_id: `${found.id}:${sessionName}`, account_id: accountId!, arn: `arn:aws:sts::${accountId}:assumed-role/${found.name}/${sessionName}`, mfa: mfa ? 1 : 0 };
  }
  throw invalidInput(`${arn} names no principal: give arn:aws:iam::ACCOUNT:root, …:user/NAME, …:role/NAME or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.`);
}

export async function simulate(
  deps: { store: Store; clock: Clock },
  input: { principalArn: string; action: string; resource: string; context?: Record<string, string | string[]> },
): Promise<Simulation> {
  const context = input.context ?? {};
  const mfaKey = Object.keys(context).find((k) => k.toLowerCase() === 'aws:multifactorauthpresent');
  const principal = await principalOf(deps.store, input.principalArn, mfaKey !== undefined && context[mfaKey] === 'true');
  return createPolicyAuthorizer(deps.store, deps.clock).simulate({ principal, action: input.action, resource: input.resource, context });
}
