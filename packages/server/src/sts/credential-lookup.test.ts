// The credential cache behind SigV4 verification (credential-lookup.ts): a revocation made by
// another instance sharing the database is honoured within the cache's 1 s, one made through
// this instance at once, and an expired credential at once whatever the cache holds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { signRequest } from '@keyless/protocol';
import { openStore } from '../store/store.ts';
import { newLoginAttempt, obtainCode, postToken, redeemBody, startHarness, type Harness } from '../testing/harness.ts';
import { createSealer } from '../crypto/sealer.ts';
import { loadMasterKey } from '../keys/master-key.ts';
import { createCallerLookup, DEFAULT_CREDENTIAL_CACHE_TTL_MS } from './credential-lookup.ts';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

describe('credential cache of the AWS front door', () => {
  let h: Harness;
  let endpoint: string;
  before(async () => {
    h = await startHarness();
    await h.service.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(h.service.app.server.address() as AddressInfo).port}`;
  });
  after(() => h.close());

  const login = async (): Promise<{ creds: Creds; sessionId: string }> => {
    const attempt = newLoginAttempt();
    const creds: Creds = (await postToken(h, redeemBody(attempt, await obtainCode(h, attempt)), { key: attempt.key })).json().accessToken;
    const found = await h.service.store.read((rs) => rs.loginSessions.findCredential(creds.accessKeyId));
    return { creds, sessionId: found!.session.id };
  };

  /** GetCallerIdentity signed at the harness clock's time: the HTTP status and the error code, if any. */
  const callerIdentity = async (creds: Creds): Promise<{ status: number; code?: string }> => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(endpoint).host };
    const signed = signRequest({ method: 'POST', url: `${endpoint}/`, headers, body, credentials: creds, region: 'us-east-1', service: 'sts', now: new Date(h.clock.now()) });
    const response = await fetch(`${endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
    return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] };
  };

  it('honours a revocation made by another instance within 1 s of the clock', async () => {
    const { creds, sessionId } = await login();
    assert.deepEqual(await callerIdentity(creds), { status: 200, code: undefined }, 'the credentials work, and are now cached');
    const otherInstance = await openStore(h.config.database);
    try {
      assert.equal(await otherInstance.read((rs) => rs.loginSessions.revoke(sessionId, 'revoked elsewhere', h.clock.now())), true);
    } finally {
      await otherInstance.close();
    }
    h.clock.advance(DEFAULT_CREDENTIAL_CACHE_TTL_MS - 1);
    assert.equal((await callerIdentity(creds)).status, 200, 'within the bound this instance still answers from what it read');
    h.clock.advance(1);
    assert.deepEqual(await callerIdentity(creds), { status: 403, code: 'ExpiredToken' });
  });

  it('honours a revocation made through this instance at once', async () => {
    const { creds, sessionId } = await login();
    assert.equal((await callerIdentity(creds)).status, 200);
    assert.equal(await h.service.store.transaction((tx) => tx.loginSessions.revoke(sessionId, 'signed out', h.clock.now())), true);
    assert.deepEqual(await callerIdentity(creds), { status: 403, code: 'ExpiredToken' });
  });

  it('refuses an expired credential at once, while its entry is still cached', async () => {
    const { creds } = await login();
    const { credential } = (await h.service.store.read((rs) => rs.loginSessions.findCredential(creds.accessKeyId)))!;
    h.clock.set(credential.expires_at - 1);
    assert.equal((await callerIdentity(creds)).status, 200, 'read and cached 1 ms before the credential expires');
    h.clock.advance(1);
    assert.deepEqual(await callerIdentity(creds), { status: 403, code: 'ExpiredToken' });
  });

  it('does not keep what a read found while this instance revoked the session', async () => {
    const { creds, sessionId } = await login();
    const store = h.service.store;
    const lookup = createCallerLookup({ store, sealer: createSealer(loadMasterKey(h.config.masterKey, h.config.dataDir)), clock: h.clock });
    const racing = lookup.find(creds.accessKeyId);
    await store.read((rs) => rs.loginSessions.revoke(sessionId, 'signed out', h.clock.now()));
    const seen = lookup.secretOf(await racing);
    assert.ok(seen && 'secretAccessKey' in seen, 'the racing read saw the session before the revocation');
    assert.equal(seen.secretAccessKey, creds.secretAccessKey);
    assert.deepEqual(seen.sessionTokenSha256, createHash('sha256').update(creds.sessionToken).digest());
    assert.deepEqual(lookup.secretOf(await lookup.find(creds.accessKeyId)), { expired: true });
  });

  it('refuses the credentials of a user deleted through this instance at once', async () => {
    const { creds } = await login();
    assert.equal((await callerIdentity(creds)).status, 200);
    const { session } = (await h.service.store.read((rs) => rs.loginSessions.findCredential(creds.accessKeyId)))!;
    assert.equal(await h.service.store.transaction((tx) => tx.iamUsers.deleteCascade(session.principal_id)), true);
    assert.deepEqual(await callerIdentity(creds), { status: 403, code: 'InvalidClientTokenId' });
  });
});
