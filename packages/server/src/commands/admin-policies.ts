// `keyless admin` for policies: customer-managed policies and their versions, attaching managed
// policies to users, groups and roles, and inline policies — what the IAM Query API does, as the
// operator. Documents come as JSON, a file, file://FILE, or `-` for stdin.
import type { Command } from 'commander';
import { AdminError } from '../directory/directory-admin.ts';
import { attachPolicy, detachPolicy, listAttachedPolicies } from '../iam/admin/attachments.ts';
import type { EntityKind } from '../iam/admin/entities.ts';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, putInlinePolicy } from '../iam/admin/inline-policies.ts';
import { createPolicy, deletePolicy, getPolicy, listPolicies, type PolicyScope, type PolicyView } from '../iam/admin/managed-policies.ts';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from '../iam/admin/policy-versions.ts';
import { collect, documentFrom, operatorBy, tagsFrom, print, withDeps, type Io } from './admin-input.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const policyJson = (p: PolicyView) => ({
  arn: p.arn,
  policyName: p.policyName,
  policyId: p.policyId,
  path: p.path,
  defaultVersionId: p.defaultVersionId,
  attachmentCount: p.attachmentCount,
  description: p.description,
  createDate: iso(p.createDate),
  updateDate: iso(p.updateDate),
  tags: p.tags,
});

interface Target {
  user?: string;
  group?: string;
  role?: string;
}

/** Exactly one of --user, --group, --role. */
function targetOf(o: Target): { kind: EntityKind; name: string } {
  const given = (['user', 'group', 'role'] as const).filter((kind) => o[kind] !== undefined);
  if (given.length !== 1) throw new AdminError('Give exactly one of --user NAME, --group NAME or --role NAME.');
  return { kind: given[0]!, name: o[given[0]!]! };
}

const withTarget = (command: Command) =>
  command.requiredOption('--account <id>', 'account id').option('--user <name>', 'an IAM user').option('--group <name>', 'an IAM group').option('--role <name>', 'an IAM role');

export function registerPolicyAdmin(admin: Command, io: Io, dataDir: () => string | undefined): void {
  const run = <T>(work: Parameters<typeof withDeps<T>>[2]) => withDeps(io, dataDir(), work);

  // ---- managed policies -------------------------------------------------------------------
  admin
    .command('create-policy')
    .description('create a customer-managed policy (validated: errors name the element at fault)')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--name <name>', 'policy name')
    .requiredOption('--document <document>', 'JSON, a file, file://FILE, or - for stdin')
    .option('--path <path>', 'IAM path')
    .option('--description <text>', 'description')
    .option('--tag <key=value>', 'a tag; repeat for more', collect, [])
    .option('--json', 'print JSON')
    .action(async (o: { account: string; name: string; document: string; path?: string; description?: string; tag: string[]; json?: boolean }) => {
      const document = await documentFrom(o.document, io.readStdin);
      const policy = await run((deps) => createPolicy(deps, operatorBy(deps, 'create-policy'), { accountId: o.account, policyName: o.name, path: o.path, policyDocument: document, description: o.description, tags: tagsFrom(o.tag) }));
      print(io, o.json, policyJson(policy), `Created ${policy.arn} (${policy.policyId}).`);
    });

  admin
    .command('get-policy')
    .description('a managed policy (customer- or AWS-managed) and its default version')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--arn <arn>', 'policy ARN')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; arn: string; json?: boolean }) => {
      const { policy, version } = await run(async (deps) => {
        const policy = await deps.store.read((rs) => getPolicy(rs, o.account, o.arn));
        return { policy, version: await deps.store.read((rs) => getPolicyVersion(rs, { accountId: o.account, policyArn: o.arn, versionId: policy.defaultVersionId })) };
      });
      print(io, o.json, { ...policyJson(policy), document: JSON.parse(version.document) as unknown }, `${policy.arn}  ${policy.defaultVersionId}  attached ${policy.attachmentCount} time(s)\n${version.document}`);
    });

  admin
    .command('list-policies')
    .requiredOption('--account <id>', 'account id')
    .option('--scope <scope>', 'All, AWS or Local', 'All')
    .option('--only-attached', 'only policies attached to something')
    .option('--json', 'print JSON lines')
    .action(async (o: { account: string; scope: string; onlyAttached?: boolean; json?: boolean }) => {
      const result = await run((deps) => deps.store.read((rs) => listPolicies(rs, { accountId: o.account, scope: o.scope as PolicyScope, onlyAttached: o.onlyAttached, maxItems: 1000 })));
      for (const policy of result.items) print(io, o.json, policyJson(policy), `${policy.arn}  ${policy.defaultVersionId}  attached ${policy.attachmentCount}`);
    });

  admin
    .command('delete-policy')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--arn <arn>', 'policy ARN')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; arn: string; json?: boolean }) => {
      await run((deps) => deletePolicy(deps, operatorBy(deps, 'delete-policy'), { accountId: o.account, policyArn: o.arn }));
      print(io, o.json, { arn: o.arn, deleted: true }, `Deleted ${o.arn}.`);
    });

  admin
    .command('create-policy-version')
    .description('a new version of a customer-managed policy (at most five are kept)')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--arn <arn>', 'policy ARN')
    .requiredOption('--document <document>', 'JSON, a file, file://FILE, or - for stdin')
    .option('--set-as-default', 'make it the version every decision uses')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; arn: string; document: string; setAsDefault?: boolean; json?: boolean }) => {
      const document = await documentFrom(o.document, io.readStdin);
      const version = await run((deps) => createPolicyVersion(deps, operatorBy(deps, 'create-policy-version'), { accountId: o.account, policyArn: o.arn, policyDocument: document, setAsDefault: o.setAsDefault }));
      print(io, o.json, { arn: o.arn, versionId: version.versionId, isDefaultVersion: version.isDefaultVersion }, `Created ${version.versionId} of ${o.arn}${version.isDefaultVersion ? ' (default)' : ''}.`);
    });

  admin
    .command('list-policy-versions')
    .requiredOption('--account <id>', 'account id')
    .requiredOption('--arn <arn>', 'policy ARN')
    .option('--json', 'print JSON lines')
    .action(async (o: { account: string; arn: string; json?: boolean }) => {
      const versions = await run((deps) => deps.store.read((rs) => listPolicyVersions(rs, { accountId: o.account, policyArn: o.arn })));
      for (const v of versions) print(io, o.json, { versionId: v.versionId, isDefaultVersion: v.isDefaultVersion, createDate: iso(v.createDate) }, `${v.versionId}${v.isDefaultVersion ? ' (default)' : ''}  ${iso(v.createDate)}`);
    });

  for (const [command, work] of [
    ['set-default-policy-version', setDefaultPolicyVersion],
    ['delete-policy-version', deletePolicyVersion],
  ] as const) {
    admin
      .command(command)
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--arn <arn>', 'policy ARN')
      .requiredOption('--version-id <id>', 'v1, v2, …')
      .option('--json', 'print JSON')
      .action(async (o: { account: string; arn: string; versionId: string; json?: boolean }) => {
        await run((deps) => work(deps, operatorBy(deps, command), { accountId: o.account, policyArn: o.arn, versionId: o.versionId }));
        print(io, o.json, { arn: o.arn, versionId: o.versionId, done: true }, command === 'set-default-policy-version' ? `${o.versionId} is now the default of ${o.arn}.` : `Deleted ${o.versionId} of ${o.arn}.`);
      });
  }

  // ---- attachments --------------------------------------------------------------------------
  withTarget(admin.command('attach-policy').description('attach a managed policy (e.g. arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess) to a user, group or role'))
    .requiredOption('--policy-arn <arn>', 'policy ARN')
    .option('--json', 'print JSON')
    .action(async (o: Target & { account: string; policyArn: string; json?: boolean }) => {
      const target = targetOf(o);
      await run((deps) => attachPolicy(deps, operatorBy(deps, 'attach-policy'), { ...target, accountId: o.account, policyArn: o.policyArn }));
      print(io, o.json, { [target.kind]: target.name, policyArn: o.policyArn, attached: true }, `Attached ${o.policyArn} to ${target.kind} ${target.name}.`);
    });

  withTarget(admin.command('detach-policy'))
    .requiredOption('--policy-arn <arn>', 'policy ARN')
    .option('--json', 'print JSON')
    .action(async (o: Target & { account: string; policyArn: string; json?: boolean }) => {
      const target = targetOf(o);
      await run((deps) => detachPolicy(deps, operatorBy(deps, 'detach-policy'), { ...target, accountId: o.account, policyArn: o.policyArn }));
      print(io, o.json, { [target.kind]: target.name, policyArn: o.policyArn, detached: true }, `Detached ${o.policyArn} from ${target.kind} ${target.name}.`);
    });

  withTarget(admin.command('list-attached-policies'))
    .option('--json', 'print JSON lines')
    .action(async (o: Target & { account: string; json?: boolean }) => {
      const target = targetOf(o);
      const result = await run((deps) => deps.store.read((rs) => listAttachedPolicies(rs, { ...target, accountId: o.account, maxItems: 1000 })));
      for (const p of result.items) print(io, o.json, { policyName: p.policyName, policyArn: p.policyArn }, p.policyArn);
    });

  // ---- inline policies ----------------------------------------------------------------------
  withTarget(admin.command('put-inline-policy').description("create or replace an inline policy of a user, group or role"))
    .requiredOption('--policy-name <name>', 'inline policy name')
    .requiredOption('--document <document>', 'JSON, a file, file://FILE, or - for stdin')
    .option('--json', 'print JSON')
    .action(async (o: Target & { account: string; policyName: string; document: string; json?: boolean }) => {
      const target = targetOf(o);
      const document = await documentFrom(o.document, io.readStdin);
      await run((deps) => putInlinePolicy(deps, operatorBy(deps, 'put-inline-policy'), { ...target, accountId: o.account, policyName: o.policyName, policyDocument: document }));
      print(io, o.json, { [target.kind]: target.name, policyName: o.policyName, put: true }, `Put inline policy ${o.policyName} on ${target.kind} ${target.name}.`);
    });

  withTarget(admin.command('get-inline-policy'))
    .requiredOption('--policy-name <name>', 'inline policy name')
    .option('--json', 'print JSON')
    .action(async (o: Target & { account: string; policyName: string; json?: boolean }) => {
      const target = targetOf(o);
      const policy = await run((deps) => deps.store.read((rs) => getInlinePolicy(rs, { ...target, accountId: o.account, policyName: o.policyName })));
      print(io, o.json, { [target.kind]: target.name, policyName: policy.policyName, document: JSON.parse(policy.policyDocument) as unknown }, policy.policyDocument);
    });

  withTarget(admin.command('delete-inline-policy'))
    .requiredOption('--policy-name <name>', 'inline policy name')
    .option('--json', 'print JSON')
    .action(async (o: Target & { account: string; policyName: string; json?: boolean }) => {
      const target = targetOf(o);
      await run((deps) => deleteInlinePolicy(deps, operatorBy(deps, 'delete-inline-policy'), { ...target, accountId: o.account, policyName: o.policyName }));
      print(io, o.json, { [target.kind]: target.name, policyName: o.policyName, deleted: true }, `Deleted inline policy ${o.policyName} of ${target.kind} ${target.name}.`);
    });

  withTarget(admin.command('list-inline-policies'))
    .option('--json', 'print JSON lines')
    .action(async (o: Target & { account: string; json?: boolean }) => {
      const target = targetOf(o);
      const result = await run((deps) => deps.store.read((rs) => listInlinePolicies(rs, { ...target, accountId: o.account, maxItems: 1000 })));
      for (const name of result.items) print(io, o.json, { policyName: name }, name);
    });
}
