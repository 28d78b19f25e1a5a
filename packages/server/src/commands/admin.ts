// `keyless admin …`: accounts, users, passwords and sessions, straight against the store.
// Passwords come from stdin (`--password-stdin`) or KEYLESS_PASSWORD, never from arguments.
import type { Command } from 'commander';
import {
  AdminError,
  createAccount,
  createUser,
  deactivateMfa,
  findPrincipalOf,
  parseDuration,
  revokeLoginSession,
  setMaxSessionDuration,
  setPassword,
} from '../directory/directory-admin.ts';
import { attachPolicy } from '../iam/admin/attachments.ts';
import { resolvePolicy } from '../iam/admin/managed-policies.ts';
import { collect, operatorBy, print, withDeps, type Io } from './admin-input.ts';
import { registerFederationAdmin } from './admin-federation.ts';
import { registerIamAdmin } from './admin-iam.ts';
import { registerOrgAdmin } from './admin-org.ts';
import { registerPolicyAdmin } from './admin-policies.ts';
import { registerSimulate } from './admin-simulate.ts';

export async function readPassword(io: Io, fromStdin: boolean | undefined): Promise<string | undefined> {
  if (fromStdin) return (await io.readStdin()).replace(/\r?\n$/, '');
  return io.env.KEYLESS_PASSWORD;
}

export function registerAdmin(program: Command, io: Io): void {
  const admin = program.command('admin').description('administer accounts, users and sessions (talks to the database directly)');
  admin.option('--data-dir <dir>', 'data directory (default: KEYLESS_DATA_DIR or ~/.keyless)');
  const dataDir = () => admin.opts<{ dataDir?: string }>().dataDir;

  admin
    .command('create-account')
    .description('create an account and its root user')
    .requiredOption('--email <email>', "the root user's e-mail address")
    .option('--alias <alias>', 'an account alias usable at sign-in instead of the id')
    .option('--account-id <id>', 'a specific 12-digit account id')
    .option('--password-stdin', 'read the root password from standard input (else KEYLESS_PASSWORD)')
    .option('--json', 'print JSON')
    .action(async (o: { email: string; alias?: string; accountId?: string; passwordStdin?: boolean; json?: boolean }) => {
      const password = await readPassword(io, o.passwordStdin);
      if (!password) throw new AdminError('Give the root password on stdin with --password-stdin, or in KEYLESS_PASSWORD.');
      const { account, root } = await withDeps(io, dataDir(), (deps) =>
        createAccount(deps, { rootEmail: o.email, rootPassword: password, alias: o.alias, accountId: o.accountId }),
      );
      print(io, o.json, { accountId: account.id, alias: account.alias, rootArn: root.arn, rootEmail: account.root_email }, `Created account ${account.id} (root: ${account.root_email}).`);
    });

  admin
    .command('create-user')
    .description('create an IAM user')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'user name')
    .option('--password-stdin', 'read the console password from standard input (else KEYLESS_PASSWORD; none: no console access)')
    .option('--max-session-duration <duration>', 'longest login session, 15m to 12h (default 12h)')
    .option('--attach-policy <arn>', 'attach a managed policy, e.g. arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess (which keyless login needs); repeatable', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; passwordStdin?: boolean; maxSessionDuration?: string; attachPolicy: string[]; json?: boolean }) => {
      const password = await readPassword(io, o.passwordStdin);
      const seconds = o.maxSessionDuration ? parseDuration(o.maxSessionDuration) : undefined;
      const user = await withDeps(io, dataDir(), async (deps) => {
        // Every ARN is checked before the user exists, so a typo leaves nothing half made.
        for (const arn of o.attachPolicy) await deps.store.read((rs) => resolvePolicy(rs, o.account, arn));
        const created = await createUser(deps, { accountId: o.account, userName: o.name, password, maxSessionSeconds: seconds });
        for (const arn of o.attachPolicy) await attachPolicy(deps, operatorBy(deps, 'create-user'), { kind: 'user', accountId: o.account, name: o.name, policyArn: arn });
        return created;
      });
      print(
        io,
        o.json,
        { arn: user.arn, userId: user.id, maxSessionSeconds: user.max_session_seconds, attachedPolicies: o.attachPolicy },
        `Created ${user.arn} (${user.id}).${o.attachPolicy.length ? ` Attached ${o.attachPolicy.join(', ')}.` : ''}`,
      );
    });

  admin
    .command('set-password')
    .description("set a user's or the root user's password; their existing login sessions stop refreshing")
    .requiredOption('--account <id>', 'account id')
    .option('--user <name>', 'IAM user name')
    .option('--root', 'the root user')
    .option('--password-stdin', 'read the password from standard input (else KEYLESS_PASSWORD)')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; user?: string; root?: boolean; passwordStdin?: boolean; json?: boolean }) => {
      if (!o.root === !o.user) throw new AdminError('Give exactly one of --user NAME or --root.');
      const password = await readPassword(io, o.passwordStdin);
      if (!password) throw new AdminError('Give the password on stdin with --password-stdin, or in KEYLESS_PASSWORD.');
      const arn = await withDeps(io, dataDir(), async (deps) => {
        const principal = await findPrincipalOf(deps, o.account, o.user);
        await setPassword(deps, principal, password);
        return principal.arn;
      });
      print(io, o.json, { arn, passwordChanged: true }, `Password changed for ${arn}.`);
    });

  admin
    .command('set-session-duration')
    .description("set a principal's maximum session duration (15m to 12h)")
    .requiredOption('--account <id>', 'account id')
    .option('--user <name>', 'IAM user name')
    .option('--root', 'the root user')
    .requiredOption('--duration <duration>', 'e.g. 1h, 90m, 12h')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; user?: string; root?: boolean; duration: string; json?: boolean }) => {
      if (!o.root === !o.user) throw new AdminError('Give exactly one of --user NAME or --root.');
      const seconds = parseDuration(o.duration);
      const arn = await withDeps(io, dataDir(), async (deps) => {
        const principal = await findPrincipalOf(deps, o.account, o.user);
        await setMaxSessionDuration(deps, principal, seconds);
        return principal.arn;
      });
      print(io, o.json, { arn, maxSessionSeconds: seconds }, `${arn} sessions now last at most ${o.duration}.`);
    });

  admin
    .command('deactivate-mfa')
    .description("remove a user's or the root user's MFA device (when it is lost); they sign in with the password alone until they set up a new one")
    .requiredOption('--account <id>', 'account id')
    .option('--user <name>', 'IAM user name')
    .option('--root', 'the root user')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; user?: string; root?: boolean; json?: boolean }) => {
      if (!o.root === !o.user) throw new AdminError('Give exactly one of --user NAME or --root.');
      const { arn, removed } = await withDeps(io, dataDir(), async (deps) => {
        const principal = await findPrincipalOf(deps, o.account, o.user);
        return { arn: principal.arn, removed: await deactivateMfa(deps, principal) };
      });
      print(io, o.json, { arn, mfaDeactivated: removed }, removed ? `Removed the MFA device of ${arn}.` : `${arn} has no MFA device.`);
    });

  admin
    .command('list-accounts')
    .option('--json', 'print JSON lines')
    .action(async (o: { json?: boolean }) => {
      const accounts = await withDeps(io, dataDir(), (deps) => deps.store.read((rs) => rs.directory.listAccounts()));
      for (const a of accounts) print(io, o.json, { accountId: a.id, alias: a.alias, rootEmail: a.root_email }, `${a.id}  ${a.alias ?? '-'}  ${a.root_email}`);
    });

  admin
    .command('list-users')
    .requiredOption('--account <id>', 'account id')
    .option('--json', 'print JSON lines')
    .action(async (o: { account: string; json?: boolean }) => {
      const principals = await withDeps(io, dataDir(), (deps) => deps.store.read((rs) => rs.directory.listPrincipals(o.account)));
      for (const p of principals) {
        print(io, o.json, { arn: p.arn, id: p.id, kind: p.kind, maxSessionSeconds: p.max_session_seconds, hasPassword: p.password_hash !== null }, `${p.arn}  ${p.id}`);
      }
    });

  admin
    .command('list-sessions')
    .description('active login sessions (from keyless login), newest first')
    .option('--account <id>', 'only this account')
    .option('--json', 'print JSON lines')
    .action(async (o: { account?: string; json?: boolean }) => {
      const sessions = await withDeps(io, dataDir(), (deps) => deps.store.read((rs) => rs.loginSessions.listActive({ now: deps.clock.now(), accountId: o.account })));
      for (const s of sessions) {
        const value = { sessionId: s.id, arn: s.arn, clientId: s.client_id, sourceIp: s.source_ip, createdAt: new Date(s.created_at).toISOString(), expiresAt: new Date(s.expires_at).toISOString() };
        print(io, o.json, value, `${s.id}  ${s.arn}  until ${value.expiresAt}  from ${s.source_ip}`);
      }
    });

  admin
    .command('revoke-session')
    .description('revoke a login session: its next refresh fails and its credentials are refused')
    .argument('<session-id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const revoked = await withDeps(io, dataDir(), (deps) => revokeLoginSession(deps, id));
      if (!revoked) throw new AdminError(`No active session ${id}.`);
      print(io, o.json, { sessionId: id, revoked: true }, `Revoked ${id}.`);
    });

  registerIamAdmin(admin, io, dataDir);
  registerFederationAdmin(admin, io, dataDir);
  registerPolicyAdmin(admin, io, dataDir);
  registerOrgAdmin(admin, io, dataDir);
  registerSimulate(admin, io, dataDir);
}
