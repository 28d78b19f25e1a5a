// `keyless admin org …`: AWS Organizations for an installation — the organization, OUs, member
// accounts, service control policies and where they are attached, and centralised root access
// management. `--org` takes an organization, root, OU or account id; with one organization it may
// be left out.
import type { Command } from 'commander';
import { AdminError } from '../directory/directory-admin.ts';
import { addAccount, createOrganization, createUnit, describeOrganization, moveAccount, organizationOf, removeAccount } from '../iam/admin/organizations.ts';
import { setRootAccessManagement, setRootCredentialsRemoved } from '../iam/admin/root-access.ts';
import { attachScp, createScp, deleteScp, detachScp, listScps, updateScp } from '../iam/admin/service-control-policies.ts';
import type { Store } from '../store/store.ts';
import { documentFrom, operatorBy, print, withDeps, type Io } from './admin-input.ts';

async function organizationId(store: Store, given: string | undefined): Promise<string> {
  if (given) return (await store.read((rs) => organizationOf(rs, given))).id;
  const all = await store.read((rs) => rs.organizations.list());
  if (all.length !== 1) throw new AdminError(all.length ? 'There are several organizations: name one with --org.' : 'There is no organization yet: keyless admin org create --management-account ID.');
  return all[0]!.id;
}

export function registerOrgAdmin(admin: Command, io: Io, dataDir: () => string | undefined): void {
  const run = <T>(work: Parameters<typeof withDeps<T>>[2]) => withDeps(io, dataDir(), work);
  const org = admin.command('org').description('AWS Organizations: OUs, member accounts, SCPs, centralised root access management');

  org
    .command('create')
    .description('create an organization; its root, OUs and accounts get FullAWSAccess, as on AWS')
    .requiredOption('--management-account <id>', 'the management account (never subject to SCPs)')
    .option('--json', 'print JSON')
    .action(async (o: { managementAccount: string; json?: boolean }) => {
      const created = await run((deps) => createOrganization(deps, operatorBy(deps, 'org create'), { managementAccountId: o.managementAccount }));
      print(io, o.json, { organizationId: created.id, rootId: created.root_id, managementAccountId: created.management_account_id }, `Created organization ${created.id} with root ${created.root_id}.`);
    });

  org
    .command('describe')
    .description('the tree: root, OUs, accounts, and the SCPs attached to each')
    .option('--org <id>', 'organization, root, OU or account id')
    .option('--json', 'print JSON')
    .action(async (o: { org?: string; json?: boolean }) => {
      const { tree, scps } = await run(async (deps) => {
        const id = await organizationId(deps.store, o.org);
        return { tree: await deps.store.read((rs) => describeOrganization(rs, id)), scps: await deps.store.read((rs) => listScps(rs, id)) };
      });
      const { organization, units, accounts } = tree;
      const attachedTo = (target: string) => scps.filter((p) => p.targets.includes(target)).map((p) => `${p.id} (${p.name})`);
      if (o.json) {
        io.out(
          JSON.stringify({
            organizationId: organization.id,
            rootId: organization.root_id,
            managementAccountId: organization.management_account_id,
            rootAccessManagement: organization.root_access_management === 1,
            organizationalUnits: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parent_id, policies: attachedTo(u.id) })),
            accounts: accounts.map((a) => ({ accountId: a.account_id, parentId: a.parent_id, rootCredentialsRemoved: a.root_credentials_removed_at !== null, policies: attachedTo(a.account_id) })),
            rootPolicies: attachedTo(organization.root_id),
          }) + '\n',
        );
        return;
      }
      const lines = [`${organization.id}  management account ${organization.management_account_id}  root access management ${organization.root_access_management === 1 ? 'on' : 'off'}`];
      const walk = (parentId: string, depth: number) => {
        for (const unit of units.filter((u) => u.parent_id === parentId)) {
          lines.push(`${'  '.repeat(depth)}${unit.id} ${unit.name}  [${attachedTo(unit.id).join(', ')}]`);
          walk(unit.id, depth + 1);
        }
        for (const account of accounts.filter((a) => a.parent_id === parentId)) {
          const notes = [account.account_id === organization.management_account_id ? 'management' : '', account.root_credentials_removed_at !== null ? 'root credentials removed' : ''].filter(Boolean);
          lines.push(`${'  '.repeat(depth)}${account.account_id}${notes.length ? ` (${notes.join(', ')})` : ''}  [${attachedTo(account.account_id).join(', ')}]`);
        }
      };
      lines.push(`${organization.root_id} Root  [${attachedTo(organization.root_id).join(', ')}]`);
      walk(organization.root_id, 1);
      io.out(lines.join('\n') + '\n');
    });

  org
    .command('create-ou')
    .requiredOption('--parent <id>', 'the root (r-…) or an OU (ou-…)')
    .requiredOption('--name <name>', 'OU name')
    .option('--json', 'print JSON')
    .action(async (o: { parent: string; name: string; json?: boolean }) => {
      const unit = await run((deps) => createUnit(deps, operatorBy(deps, 'org create-ou'), { parentId: o.parent, name: o.name }));
      print(io, o.json, { id: unit.id, name: unit.name, parentId: unit.parent_id }, `Created OU ${unit.id} (${unit.name}) under ${unit.parent_id}.`);
    });

  org
    .command('add-account')
    .description('bring an existing Keyless account into the organization')
    .requiredOption('--account <id>', 'account id')
    .option('--org <id>', 'organization, root or OU id')
    .option('--parent <id>', 'the root or an OU (default the root)')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; org?: string; parent?: string; json?: boolean }) => {
      const member = await run(async (deps) => addAccount(deps, operatorBy(deps, 'org add-account'), { organizationId: await organizationId(deps.store, o.org ?? o.parent), accountId: o.account, parentId: o.parent }));
      print(io, o.json, { accountId: member.account_id, organizationId: member.organization_id, parentId: member.parent_id }, `Account ${member.account_id} joined ${member.organization_id} under ${member.parent_id}.`);
    });

  org
    .command('move-account')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--parent <id>', 'the destination root or OU')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; parent: string; json?: boolean }) => {
      await run((deps) => moveAccount(deps, operatorBy(deps, 'org move-account'), { accountId: o.account, destinationParentId: o.parent }));
      print(io, o.json, { accountId: o.account, parentId: o.parent }, `Moved ${o.account} to ${o.parent}.`);
    });

  org
    .command('remove-account')
    .requiredOption('--account <id>', 'account id')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; json?: boolean }) => {
      await run((deps) => removeAccount(deps, operatorBy(deps, 'org remove-account'), { accountId: o.account }));
      print(io, o.json, { accountId: o.account, removed: true }, `Removed ${o.account} from its organization.`);
    });

  org
    .command('create-policy')
    .description('create a service control policy')
    .requiredOption('--name <name>', 'SCP name')
    .requiredOption('--content <document>', 'JSON, a file, file://FILE, or - for stdin')
    .option('--description <text>', 'description')
    .option('--org <id>', 'organization, root, OU or account id')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; content: string; description?: string; org?: string; json?: boolean }) => {
      const content = await documentFrom(o.content, io.readStdin);
      const policy = await run(async (deps) => createScp(deps, operatorBy(deps, 'org create-policy'), { organizationId: await organizationId(deps.store, o.org), name: o.name, description: o.description, content }));
      print(io, o.json, { policyId: policy.id, name: policy.name }, `Created SCP ${policy.id} (${policy.name}). Attach it with: keyless admin org attach-policy --policy-id ${policy.id} --target-id ID`);
    });

  org
    .command('update-policy')
    .requiredOption('--policy-id <id>', 'p-…')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--content <document>', 'new content: JSON, a file, file://FILE, or - for stdin')
    .option('--json', 'print JSON')
    .action(async (o: { policyId: string; name?: string; description?: string; content?: string; json?: boolean }) => {
      const content = o.content === undefined ? undefined : await documentFrom(o.content, io.readStdin);
      await run((deps) => updateScp(deps, operatorBy(deps, 'org update-policy'), { policyId: o.policyId, name: o.name, description: o.description, content }));
      print(io, o.json, { policyId: o.policyId, updated: true }, `Updated SCP ${o.policyId}.`);
    });

  org
    .command('delete-policy')
    .requiredOption('--policy-id <id>', 'p-…')
    .option('--json', 'print JSON')
    .action(async (o: { policyId: string; json?: boolean }) => {
      await run((deps) => deleteScp(deps, operatorBy(deps, 'org delete-policy'), { policyId: o.policyId }));
      print(io, o.json, { policyId: o.policyId, deleted: true }, `Deleted SCP ${o.policyId}.`);
    });

  org
    .command('list-policies')
    .option('--org <id>', 'organization, root, OU or account id')
    .option('--json', 'print JSON lines')
    .action(async (o: { org?: string; json?: boolean }) => {
      const scps = await run(async (deps) => deps.store.read(async (rs) => listScps(rs, await organizationId(deps.store, o.org))));
      for (const p of scps) print(io, o.json, { policyId: p.id, name: p.name, awsManaged: p.awsManaged, description: p.description, targets: p.targets, content: JSON.parse(p.content) as unknown }, `${p.id}  ${p.name}  attached to ${p.targets.join(', ') || 'nothing'}`);
    });

  for (const [command, work, verb] of [
    ['attach-policy', attachScp, 'Attached'],
    ['detach-policy', detachScp, 'Detached'],
  ] as const) {
    org
      .command(command)
      .requiredOption('--policy-id <id>', 'p-… (or p-FullAWSAccess)')
      .requiredOption('--target-id <id>', 'the root (r-…), an OU (ou-…) or an account id')
      .option('--json', 'print JSON')
      .action(async (o: { policyId: string; targetId: string; json?: boolean }) => {
        await run((deps) => work(deps, operatorBy(deps, `org ${command}`), { policyId: o.policyId, targetId: o.targetId }));
        print(io, o.json, { policyId: o.policyId, targetId: o.targetId, [verb.toLowerCase()]: true }, `${verb} ${o.policyId} ${verb === 'Attached' ? 'to' : 'from'} ${o.targetId}.`);
      });
  }

  for (const enabled of [true, false]) {
    const command = `${enabled ? 'enable' : 'disable'}-root-access-management`;
    org
      .command(command)
      .description(enabled ? "centralised root access management: lets the management account remove member accounts' root credentials" : 'turn centralised root access management off (removed root credentials count again only when it is on)')
      .option('--org <id>', 'organization, root, OU or account id')
      .option('--json', 'print JSON')
      .action(async (o: { org?: string; json?: boolean }) => {
        const id = await run(async (deps) => {
          const organizationIdValue = await organizationId(deps.store, o.org);
          await setRootAccessManagement(deps, operatorBy(deps, `org ${command}`), { organizationId: organizationIdValue, enabled });
          return organizationIdValue;
        });
        print(io, o.json, { organizationId: id, rootAccessManagement: enabled }, `Centralised root access management is ${enabled ? 'on' : 'off'} for ${id}.`);
      });
  }

  for (const removed of [true, false]) {
    const command = removed ? 'remove-root-credentials' : 'restore-root-credentials';
    org
      .command(command)
      .description(removed ? "remove a member account's root credentials: its root can no longer sign in or keyless login" : "give a member account's root its sign-in back")
      .requiredOption('--account <id>', 'a member account (not the management account)')
      .option('--json', 'print JSON')
      .action(async (o: { account: string; json?: boolean }) => {
        await run((deps) => setRootCredentialsRemoved(deps, operatorBy(deps, `org ${command}`), { accountId: o.account, removed }));
        print(io, o.json, { accountId: o.account, rootCredentialsRemoved: removed }, removed ? `Removed the root credentials of ${o.account}: root sign-in and root keyless login are refused.` : `Root of ${o.account} may sign in again.`);
      });
  }
}
