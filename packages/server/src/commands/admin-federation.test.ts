// `keyless admin create-oidc-provider | list-oidc-providers | delete-oidc-provider`, in-process
// against a SQLite data directory: the secret from stdin or the environment only, sealed at rest,
// absent from output and audit records; bad issuers refused; --json everywhere.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { openStore } from '../store/store.ts';
import { loadConfig } from '../config/config.ts';
import { registerAdmin } from './admin.ts';

const ACCOUNT = '123456789012';
const SECRET = 'client-secret-from-stdin-5c1f';

describe('keyless admin: OpenID providers', () => {
  let dir: string;
  let stdin = '';
  let env: Record<string, string> = {};

  async function admin(...args: string[]): Promise<string> {
    let out = '';
    const program = new Command('keyless').exitOverride();
    registerAdmin(program, { env: { KEYLESS_DATA_DIR: dir, KEYLESS_PASSWORD: 'a-long-test-password-1', ...env }, readStdin: async () => stdin, out: (text) => void (out += text) });
    await program.parseAsync(['node', 'keyless', 'admin', ...args]);
    return out;
  }
  const json = async (...args: string[]) => JSON.parse(await admin(...args, '--json'));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-admin-fed-'));
    await admin('create-account', '--email', 'root@example.com', '--account-id', ACCOUNT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a provider with the secret from stdin, prints its ARN and the redirect URI, never the secret', async () => {
    stdin = `${SECRET}\n`;
    const out = await admin('create-oidc-provider', '--account', ACCOUNT, '--issuer', 'https://sso.example.com/', '--client-id', 'keyless', '--name', 'Example SSO', '--client-secret-stdin', '--json');
    const created = JSON.parse(out);
    assert.equal(created.arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/sso.example.com`);
    assert.equal(created.issuer, 'https://sso.example.com');
    assert.equal(created.redirectUri, 'http://127.0.0.1:4466/console/federation/callback');
    assert.ok(!out.includes(SECRET));

    const store = await openStore(loadConfig({ KEYLESS_DATA_DIR: dir }).database);
    try {
      const row = (await store.read((rs) => rs.federation.findProviderByArn(created.arn)))!;
      assert.ok(row.client_secret_sealed.startsWith('v1.') && !row.client_secret_sealed.includes(SECRET), 'sealed at rest');
      const [event] = await store.read((rs) => rs.audit.list({ eventName: 'CreateOpenIDConnectProvider' }));
      assert.ok(event && !event.record.includes(SECRET), 'recorded, without the secret');
      assert.deepEqual(JSON.parse(event.record).requestParameters, { url: 'https://sso.example.com', clientIDList: ['keyless'] });
    } finally {
      await store.close();
    }
  });

  it('takes the secret from KEYLESS_OIDC_CLIENT_SECRET, and refuses to run without one', async () => {
    stdin = '';
    await assert.rejects(admin('create-oidc-provider', '--account', ACCOUNT, '--issuer', 'https://kc.example.com/realms/acme', '--client-id', 'k', '--name', 'Keycloak'), /client secret on stdin/);
    env = { KEYLESS_OIDC_CLIENT_SECRET: SECRET };
    const created = await json('create-oidc-provider', '--account', ACCOUNT, '--issuer', 'https://kc.example.com/realms/acme', '--client-id', 'k', '--name', 'Keycloak');
    assert.equal(created.arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/kc.example.com/realms/acme`);
    env = {};
  });

  it('refuses a bad issuer, an unknown account and a duplicate', async () => {
    env = { KEYLESS_OIDC_CLIENT_SECRET: SECRET };
    await assert.rejects(admin('create-oidc-provider', '--account', ACCOUNT, '--issuer', 'http://sso.example.com', '--client-id', 'k', '--name', 'N'), /https:\/\//);
    await assert.rejects(admin('create-oidc-provider', '--account', '999999999999', '--issuer', 'https://x.example.com', '--client-id', 'k', '--name', 'N'), /no account/);
    await assert.rejects(admin('create-oidc-provider', '--account', ACCOUNT, '--issuer', 'https://sso.example.com', '--client-id', 'k', '--name', 'Again'), /already exists/);
    env = {};
  });

  it('lists and deletes providers', async () => {
    const listed = (await admin('list-oidc-providers', '--json')).trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(listed.map((p) => p.displayName), ['Example SSO', 'Keycloak']);
    assert.ok(listed.every((p) => !('clientSecret' in p)));
    await json('delete-oidc-provider', '--arn', listed[1].arn);
    assert.equal((await admin('list-oidc-providers', '--json')).trim().split('\n').length, 1);
    await assert.rejects(admin('delete-oidc-provider', '--arn', listed[1].arn), /not found/);
  });
});
