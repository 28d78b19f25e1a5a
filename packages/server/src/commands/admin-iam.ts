// `keyless admin` for IAM users, groups and roles — the same operations as the IAM Query API,
// straight against the store, as the operator (every change recorded as an IAM call by
// `keyless admin`). Every command takes --json.
import type { Command } from 'commander';
import { deleteUser, getUser, tagUser, untagUser } from '../iam/admin/users.ts';
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, removeUserFromGroup } from '../iam/admin/groups.ts';
import { revokeRoleSessions } from '../iam/admin/revoke-role-sessions.ts';
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole } from '../iam/admin/roles.ts';
import type { GroupView, RoleView, UserView } from '../iam/admin/entities.ts';
import { parseDuration } from '../directory/directory-admin.ts';
import { collect, documentFrom, operatorBy, tagsFrom, print, withDeps, type Io } from './admin-input.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const userJson = (u: UserView) => ({ arn: u.arn, userName: u.userName, userId: u.userId, path: u.path, createDate: iso(u.createDate), tags: u.tags });
const groupJson = (g: GroupView) => ({ arn: g.arn, groupName: g.groupName, groupId: g.groupId, path: g.path, createDate: iso(g.createDate) });
const roleJson = (r: RoleView) => ({
  arn: r.arn,
  roleName: r.roleName,
  roleId: r.roleId,
  path: r.path,
  createDate: iso(r.createDate),
  maxSessionDuration: r.maxSessionDuration,
  description: r.description,
  assumeRolePolicyDocument: JSON.parse(r.assumeRolePolicyDocument) as unknown,
  tags: r.tags,
});

export function registerIamAdmin(admin: Command, io: Io, dataDir: () => string | undefined): void {
  const run = <T>(work: Parameters<typeof withDeps<T>>[2]) => withDeps(io, dataDir(), work);

  // ---- users (create-user, set-password, list-users live in admin.ts) -------------------
  admin
    .command('get-user')
    .description('show an IAM user with its tags')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'user name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      const user = await run((deps) => deps.store.read((rs) => getUser(rs, o.account, o.name)));
      print(io, o.json, userJson(user), `${user.arn}  ${user.userId}  created ${iso(user.createDate)}${Object.keys(user.tags).length ? `  tags ${JSON.stringify(user.tags)}` : ''}`);
    });

  admin
    .command('delete-user')
    .description('delete an IAM user (remove its password, MFA device, policies and group memberships first); its sessions end')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'user name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      await run((deps) => deleteUser(deps, operatorBy(deps, 'delete-user'), { accountId: o.account, userName: o.name }));
      print(io, o.json, { userName: o.name, deleted: true }, `Deleted user ${o.name}.`);
    });

  admin
    .command('tag-user')
    .description("add or replace tags on a user (they become aws:PrincipalTag/* in every decision)")
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'user name')
    .requiredOption('--tag <key=value>', 'a tag; repeat for more', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; tag: string[]; json?: boolean }) => {
      const tags = tagsFrom(o.tag);
      await run((deps) => tagUser(deps, operatorBy(deps, 'tag-user'), { accountId: o.account, userName: o.name, tags }));
      print(io, o.json, { userName: o.name, tags }, `Tagged ${o.name}.`);
    });

  admin
    .command('untag-user')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'user name')
    .requiredOption('--key <key>', 'a tag key; repeat for more', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; key: string[]; json?: boolean }) => {
      await run((deps) => untagUser(deps, operatorBy(deps, 'untag-user'), { accountId: o.account, userName: o.name, tagKeys: o.key }));
      print(io, o.json, { userName: o.name, removedTagKeys: o.key }, `Removed ${o.key.length} tag(s) from ${o.name}.`);
    });

  // ---- groups -----------------------------------------------------------------------------
  admin
    .command('create-group')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'group name')
    .option('--path <path>', 'IAM path, e.g. /engineering/')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; path?: string; json?: boolean }) => {
      const group = await run((deps) => createGroup(deps, operatorBy(deps, 'create-group'), { accountId: o.account, groupName: o.name, path: o.path }));
      print(io, o.json, groupJson(group), `Created ${group.arn} (${group.groupId}).`);
    });

  admin
    .command('get-group')
    .description('a group and its users')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'group name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      const result = await run((deps) => deps.store.read((rs) => getGroup(rs, { accountId: o.account, groupName: o.name, maxItems: 1000 })));
      print(io, o.json, { ...groupJson(result.group), users: result.items.map((u) => u.userName) }, `${result.group.arn}\n${result.items.map((u) => `  ${u.arn}`).join('\n') || '  (no users)'}`);
    });

  admin
    .command('list-groups')
    .requiredOption('--account <id>', 'account id')
    .option('--json', 'print JSON lines')
    .action(async (o: { account: string; json?: boolean }) => {
      const result = await run((deps) => deps.store.read((rs) => listGroups(rs, { accountId: o.account, maxItems: 1000 })));
      for (const group of result.items) print(io, o.json, groupJson(group), `${group.arn}  ${group.groupId}`);
    });

  admin
    .command('delete-group')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'group name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      await run((deps) => deleteGroup(deps, operatorBy(deps, 'delete-group'), { accountId: o.account, groupName: o.name }));
      print(io, o.json, { groupName: o.name, deleted: true }, `Deleted group ${o.name}.`);
    });

  for (const [command, verb, work] of [
    ['add-user-to-group', 'Added', addUserToGroup],
    ['remove-user-from-group', 'Removed', removeUserFromGroup],
  ] as const) {
    admin
      .command(command)
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--group <name>', 'group name')
      .requiredOption('--user <name>', 'user name')
      .option('--json', 'print JSON')
      .action(async (o: { account: string; group: string; user: string; json?: boolean }) => {
        await run((deps) => work(deps, operatorBy(deps, command), { accountId: o.account, groupName: o.group, userName: o.user }));
        print(io, o.json, { groupName: o.group, userName: o.user, [command === 'add-user-to-group' ? 'added' : 'removed']: true }, `${verb} ${o.user} ${verb === 'Added' ? 'to' : 'from'} ${o.group}.`);
      });
  }

  // ---- roles ------------------------------------------------------------------------------
  admin
    .command('create-role')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .requiredOption('--trust-policy <document>', 'who may assume it: JSON, a file, file://FILE, or - for stdin')
    .option('--path <path>', 'IAM path')
    .option('--description <text>', 'description')
    .option('--max-session-duration <duration>', '1h to 12h (default 1h)')
    .option('--tag <key=value>', 'a tag; repeat for more', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; trustPolicy: string; path?: string; description?: string; maxSessionDuration?: string; tag: string[]; json?: boolean }) => {
      const document = await documentFrom(o.trustPolicy, io.readStdin);
      const role = await run((deps) =>
        createRole(deps, operatorBy(deps, 'create-role'), {
          accountId: o.account,
          roleName: o.name,
          path: o.path,
          assumeRolePolicyDocument: document,
          description: o.description,
          maxSessionDuration: o.maxSessionDuration ? parseDuration(o.maxSessionDuration) : undefined,
          tags: tagsFrom(o.tag),
        }),
      );
      print(io, o.json, roleJson(role), `Created ${role.arn} (${role.roleId}).`);
    });

  admin
    .command('revoke-role-sessions')
    .description("end every session of a role issued until now (AWS's \"revoke active sessions\": an AWSRevokeOlderSessions inline policy, and the sessions ended)")
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      const result = await run((deps) => revokeRoleSessions(deps, operatorBy(deps, 'revoke-role-sessions'), { accountId: o.account, roleName: o.name }));
      const before = new Date(result.before).toISOString();
      print(io, o.json, { role: o.name, revokedBefore: before, sessionsEnded: result.revoked }, `Revoked the sessions of ${o.name} issued before ${before} (${result.revoked} ended).`);
    });

  admin
    .command('get-role')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      const role = await run((deps) => deps.store.read((rs) => getRole(rs, o.account, o.name)));
      print(io, o.json, roleJson(role), `${role.arn}  ${role.roleId}  max session ${role.maxSessionDuration / 3600}h\n${role.assumeRolePolicyDocument}`);
    });

  admin
    .command('list-roles')
    .requiredOption('--account <id>', 'account id')
    .option('--json', 'print JSON lines')
    .action(async (o: { account: string; json?: boolean }) => {
      const result = await run((deps) => deps.store.read((rs) => listRoles(rs, { accountId: o.account, maxItems: 1000 })));
      for (const role of result.items) print(io, o.json, roleJson(role), `${role.arn}  ${role.roleId}`);
    });

  admin
    .command('update-assume-role-policy')
    .description("replace a role's trust policy")
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .requiredOption('--trust-policy <document>', 'JSON, a file, file://FILE, or - for stdin')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; trustPolicy: string; json?: boolean }) => {
      const document = await documentFrom(o.trustPolicy, io.readStdin);
      await run((deps) => updateAssumeRolePolicy(deps, operatorBy(deps, 'update-assume-role-policy'), { accountId: o.account, roleName: o.name, policyDocument: document }));
      print(io, o.json, { roleName: o.name, updated: true }, `Updated the trust policy of ${o.name}.`);
    });

  admin
    .command('update-role')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .option('--description <text>', 'description')
    .option('--max-session-duration <duration>', '1h to 12h')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; description?: string; maxSessionDuration?: string; json?: boolean }) => {
      const seconds = o.maxSessionDuration ? parseDuration(o.maxSessionDuration) : undefined;
      await run((deps) => updateRole(deps, operatorBy(deps, 'update-role'), { accountId: o.account, roleName: o.name, description: o.description, maxSessionDuration: seconds }));
      print(io, o.json, { roleName: o.name, updated: true }, `Updated ${o.name}.`);
    });

  admin
    .command('delete-role')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'role name')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; json?: boolean }) => {
      await run((deps) => deleteRole(deps, operatorBy(deps, 'delete-role'), { accountId: o.account, roleName: o.name }));
      print(io, o.json, { roleName: o.name, deleted: true }, `Deleted role ${o.name}.`);
    });
}
