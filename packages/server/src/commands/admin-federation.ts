// `keyless admin create-oidc-provider | list-oidc-providers | delete-oidc-provider` (issue 3).
// The client secret comes from stdin (`--client-secret-stdin`) or KEYLESS_OIDC_CLIENT_SECRET,
// never from arguments (they show in `ps` and shell history), and is sealed with the master key.
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { sealerOf } from '../compose.ts';
import { AdminError } from '../directory/directory-admin.ts';
import { createOidcProvider, deleteOidcProvider, listOidcProviders, type ProviderView } from '../federation/provider-admin.ts';
import { CALLBACK_PATH } from '../federation/deps.ts';
import { operatorBy, print, withDeps, type Io } from './admin-input.ts';

const providerJson = (p: ProviderView) => ({ arn: p.arn, accountId: p.accountId, issuer: p.issuer, displayName: p.displayName, clientId: p.clientId, createDate: new Date(p.createdAt).toISOString() });

export function registerFederationAdmin(admin: Command, io: Io, dataDir: () => string | undefined): void {
  admin
    .command('create-oidc-provider')
    .description('let an OpenID Connect identity provider sign people in ("Sign in with NAME"); register the printed redirect URI with it')
    .requiredOption('--account <id>', 'the account whose roles may trust it')
    .requiredOption('--issuer <url>', 'the issuer, exactly as in its ID tokens, e.g. https://sso.example.com')
    .requiredOption('--client-id <id>', 'the client id Keyless has at the provider')
    .requiredOption('--name <name>', 'the name on the sign-in page, e.g. "Example SSO"')
    .option('--client-secret-stdin', 'read the client secret from standard input (else KEYLESS_OIDC_CLIENT_SECRET)')
    .option('--json', 'print JSON')
    .action(async (o: { account: string; issuer: string; clientId: string; name: string; clientSecretStdin?: boolean; json?: boolean }) => {
      const secret = o.clientSecretStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : io.env.KEYLESS_OIDC_CLIENT_SECRET;
      if (!secret) throw new AdminError('Give the client secret on stdin with --client-secret-stdin, or in KEYLESS_OIDC_CLIENT_SECRET.');
      const config = loadConfig(io.env, { dataDir: dataDir() });
      const sealer = sealerOf(config);
      const provider = await withDeps(io, dataDir(), (deps) =>
        createOidcProvider({ ...deps, sealer }, operatorBy(deps, 'create-oidc-provider'), { accountId: o.account, issuer: o.issuer, clientId: o.clientId, clientSecret: secret, displayName: o.name }),
      );
      const redirectUri = `${config.publicUrl}${CALLBACK_PATH}`;
      print(io, o.json, { ...providerJson(provider), redirectUri }, `Created ${provider.arn}. Register this redirect URI with the provider: ${redirectUri}`);
    });

  admin
    .command('list-oidc-providers')
    .option('--account <id>', 'only this account')
    .option('--json', 'print JSON lines')
    .action(async (o: { account?: string; json?: boolean }) => {
      const providers = await withDeps(io, dataDir(), (deps) => deps.store.read((rs) => listOidcProviders(rs, o.account)));
      for (const p of providers) print(io, o.json, providerJson(p), `${p.arn}  ${p.displayName}  client ${p.clientId}`);
    });

  admin
    .command('delete-oidc-provider')
    .description('remove an OpenID provider: it leaves the sign-in page; sessions it opened run to their end')
    .requiredOption('--arn <arn>', 'arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]')
    .option('--json', 'print JSON')
    .action(async (o: { arn: string; json?: boolean }) => {
      await withDeps(io, dataDir(), (deps) => deleteOidcProvider(deps, operatorBy(deps, 'delete-oidc-provider'), o.arn));
      print(io, o.json, { arn: o.arn, deleted: true }, `Deleted ${o.arn}.`);
    });
}
