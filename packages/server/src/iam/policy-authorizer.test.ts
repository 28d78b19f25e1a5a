// The policy authorizer against real stores: what it loads for users (with groups and tags), root
// and role sessions; that a change made through one instance's store is seen at the very next
// check by another instance's authorizer, on SQLite and PostgreSQL; that it fails closed; and what
// one check costs when nothing changed (the figure the refresh path adds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../clock.ts';
import { coreDeps } from '../compose.ts';
import { systemRandom } from '../crypto/ids.ts';
import { openStore, type Store } from '../store/store.ts';
import { ACCOUNT_ID, seedAccount, T0, user } from '../testing/store-contract/fixtures.ts';
import { backends, TEST_POOL_SIZE } from '../testing/backends.ts';
import { operatorRequest } from '../audit/iam-events.ts';
import type { AuthorizationQuestion } from './authorizer.ts';
import { attachPolicy } from './admin/attachments.ts';
import { putInlinePolicy } from './admin/inline-policies.ts';
import { createRole } from './admin/roles.ts';
import { tagUser, untagUser } from './admin/users.ts';
import { addAccount, createOrganization } from './admin/organizations.ts';
import { attachScp, createScp } from './admin/service-control-policies.ts';
import { createPolicyAuthorizer } from './policy-authorizer.ts';
import { signinQuestion } from './signin-authorization.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from './policy/index.ts';

const operator = operatorRequest(systemRandom, 'test');
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const OTHER = '444455556666';

const aliceQuestion = (): AuthorizationQuestion =>
  signinQuestion({
    principal: { principal_id: user('alice').id, account_id: ACCOUNT_ID, arn: user('alice').arn, mfa: 0 },
    action: 'signin:CreateOAuth2Token',
    clientId: 'arn:aws:signin:::devtools/same-device',
    region: 'us-east-1',
    sourceIp: '192.0.2.1',
    grantType: 'refresh_token',
  });

for (const backend of backends()) {
  describe(`policy authorizer (${backend.name})`, { skip: backend.skip }, () => {
    it('a change through one instance is seen at the next check by another, with no messaging between them', async () => {
      const database = await backend.create();
      const stores: Store[] = [];
      try {
        const a = await openStore(database.location, { poolSize: TEST_POOL_SIZE });
        stores.push(a);
        const b = await openStore(database.location, { poolSize: TEST_POOL_SIZE });
        stores.push(b);
        const clock = manualClock(T0);
        await seedAccount(a);
        const depsA = coreDeps(a, { clock });
        const onB = createPolicyAuthorizer(b, clock);
        assert.equal((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).allowed, false, 'no policy yet');
        await attachPolicy(depsA, operator, { kind: 'user', accountId: ACCOUNT_ID, name: 'alice', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
        assert.equal((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).allowed, true, 'attached through A, allowed on B');
        assert.equal((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).allowed, true, 'cached');
        await putInlinePolicy(depsA, operator, { kind: 'user', accountId: ACCOUNT_ID, name: 'alice', policyName: 'deny', policyDocument: doc({ Effect: 'Deny', Action: 'signin:*', Resource: '*' }) });
        const denied = await b.read((rs) => onB.authorize(aliceQuestion(), rs));
        assert.deepEqual([denied.allowed, denied.effect], [false, 'ExplicitDeny']);
        await a.transaction((tx) => tx.iamPrincipalPolicies.deleteInline(user('alice').id, 'deny').then(() => tx.policyState.bump([`account:${ACCOUNT_ID}`])));
        assert.equal((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).allowed, true);

        // Organizations changes are seen the same way.
        await a.read((rs) => rs.directory.createAccount({ id: OTHER, alias: null, root_email: 'mgmt@example.com', created_at: T0 }));
        const organization = await createOrganization(depsA, operator, { managementAccountId: OTHER });
        await addAccount(depsA, operator, { organizationId: organization.id, accountId: ACCOUNT_ID });
        assert.equal((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).allowed, true, 'FullAWSAccess everywhere');
        const scp = await createScp(depsA, operator, { organizationId: organization.id, name: 'NoTokens', content: doc({ Effect: 'Deny', Action: 'signin:CreateOAuth2Token', Resource: '*' }) });
        await attachScp(depsA, operator, { policyId: scp.id, targetId: organization.root_id });
        assert.match((await b.read((rs) => onB.authorize(aliceQuestion(), rs))).reason, /NoTokens/);
      } finally {
        for (const store of stores) await store.close();
        await database.drop();
      }
    });
  });
}

describe('policy authorizer', () => {
  const [sqlite] = backends();

  async function withStore(body: (store: Store, clock: ReturnType<typeof manualClock>) => Promise<void>) {
    const store = await sqlite!.open();
    try {
      await seedAccount(store, ['alice', 'bob']);
      await body(store, manualClock(T0));
    } finally {
      await store.close();
    }
  }

  it("reads the principal's tags as aws:PrincipalTag/*, and a tag change applies at the next check", () =>
    withStore(async (store, clock) => {
      const deps = coreDeps(store, { clock });
      const authorizer = createPolicyAuthorizer(store, clock);
      await putInlinePolicy(deps, operator, {
        kind: 'user',
        accountId: ACCOUNT_ID,
        name: 'alice',
        policyName: 'team',
        policyDocument: doc({ Effect: 'Allow', Action: 'signin:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }),
      });
      assert.equal((await store.read((rs) => authorizer.authorize(aliceQuestion(), rs))).allowed, false);
      await tagUser(deps, operator, { accountId: ACCOUNT_ID, userName: 'alice', tags: { team: 'platform' } });
      assert.equal((await store.read((rs) => authorizer.authorize(aliceQuestion(), rs))).allowed, true);
      await untagUser(deps, operator, { accountId: ACCOUNT_ID, userName: 'alice', tagKeys: ['team'] });
      assert.equal((await store.read((rs) => authorizer.authorize(aliceQuestion(), rs))).allowed, false);
    }));

  it("a role session is decided by the role's policies, with the role's ARN as aws:PrincipalArn", () =>
    withStore(async (store, clock) => {
      const deps = coreDeps(store, { clock });
      const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' });
      const role = await createRole(deps, operator, { accountId: ACCOUNT_ID, roleName: 'Deploy', path: '/ci/', assumeRolePolicyDocument: trust });
      await putInlinePolicy(deps, operator, {
        kind: 'role',
        accountId: ACCOUNT_ID,
        name: 'Deploy',
        policyName: 'p',
        policyDocument: doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': role.arn } } }),
      });
      const authorizer = createPolicyAuthorizer(store, clock);
      const question = (action: string): AuthorizationQuestion => ({
        principal: { principal_id: `${role.roleId}:run-1`, account_id: ACCOUNT_ID, arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Deploy/run-1`, mfa: 0 },
        action,
        resource: '*',
      });
      assert.equal((await store.read((rs) => authorizer.authorize(question('iam:GetUser'), rs))).allowed, true);
      assert.equal((await store.read((rs) => authorizer.authorize(question('iam:CreateUser'), rs))).allowed, false);
    }));

  it('fails closed: a principal that is gone, and a stored document that no longer parses, allow nothing', () =>
    withStore(async (store, clock) => {
      const deps = coreDeps(store, { clock });
      const authorizer = createPolicyAuthorizer(store, clock);
      const gone = await store.read((rs) => authorizer.authorize({ ...aliceQuestion(), principal: { principal_id: 'AIDAGONE', account_id: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/gone`, mfa: 0 } }, rs));
      assert.deepEqual([gone.allowed, gone.reason], [false, `arn:aws:iam::${ACCOUNT_ID}:user/gone no longer exists.`]);
      await attachPolicy(deps, operator, { kind: 'user', accountId: ACCOUNT_ID, name: 'alice', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
      await store.transaction(async (tx) => {
        await tx.iamPrincipalPolicies.putInline({ owner_id: user('alice').id, owner_type: 'user', account_id: ACCOUNT_ID, name: 'broken', document: '{"Statement":', updated_at: T0 });
        await tx.policyState.bump([`account:${ACCOUNT_ID}`]);
      });
      const broken = await store.read((rs) => authorizer.authorize(aliceQuestion(), rs));
      assert.equal(broken.allowed, false);
      assert.match(broken.reason, /could not be read/);
    }));

  it('simulate explains the decision with the statement that made it, and takes "what if" context', () =>
    withStore(async (store, clock) => {
      const deps = coreDeps(store, { clock });
      await putInlinePolicy(deps, operator, {
        kind: 'user',
        accountId: ACCOUNT_ID,
        name: 'alice',
        policyName: 'office',
        policyDocument: doc({ Sid: 'FromOffice', Effect: 'Allow', Action: 'signin:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
      });
      const authorizer = createPolicyAuthorizer(store, clock);
      const outside = await authorizer.simulate(aliceQuestion());
      assert.equal(outside.effect, 'ImplicitDeny');
      const inside = await authorizer.simulate({ ...aliceQuestion(), context: { ...aliceQuestion().context, 'aws:SourceIp': '203.0.113.9' } });
      assert.equal(inside.effect, 'Allow');
      assert.match(inside.explanation, /Decided by statement FromOffice of inline policy office on user alice/);
      assert.match(inside.explanation, /aws:SourceIp = 203\.0\.113\.9/);
    }));

  it('costs one small indexed read plus the evaluation when nothing changed (micro-benchmark)', (t) =>
    withStore(async (store, clock) => {
      const deps = coreDeps(store, { clock });
      // The benchmark shape: 10 attached policies of 10 statements, plus the managed one.
      for (let p = 0; p < 9; p++) {
        const statements = Array.from({ length: 10 }, (_, s) => ({ Sid: `S${s}`, Effect: 'Allow', Action: [`s3:Get${p}${s}*`, `ec2:Describe${s}*`], Resource: `arn:aws:s3:::bucket-${p}-${s}/*` }));
        const { createPolicy } = await import('./admin/managed-policies.ts');
        const policy = await createPolicy(deps, operator, { accountId: ACCOUNT_ID, policyName: `Bench${p}`, policyDocument: doc(...statements) });
        await attachPolicy(deps, operator, { kind: 'user', accountId: ACCOUNT_ID, name: 'alice', policyArn: policy.arn });
      }
      await attachPolicy(deps, operator, { kind: 'user', accountId: ACCOUNT_ID, name: 'alice', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
      const authorizer = createPolicyAuthorizer(store, clock);
      const question = aliceQuestion();
      assert.equal((await store.read((rs) => authorizer.authorize(question, rs))).allowed, true);
      const cold = createPolicyAuthorizer(store, clock);
      const coldStart = process.hrtime.bigint();
      await store.read((rs) => cold.authorize(question, rs));
      const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
      // As the refresh path asks: inside its transaction. CPU time, so a busy machine does not skew it;
      // after a warm-up, so the figure is the JIT-compiled steady state a server runs in.
      const rounds = 5_000;
      await store.transaction(async (tx) => {
        for (let i = 0; i < rounds; i++) {
          await authorizer.authorize(question, tx);
          await tx.policyState.generations(ACCOUNT_ID);
        }
      });
      const cpu = process.cpuUsage();
      await store.transaction(async (tx) => {
        for (let i = 0; i < rounds; i++) await authorizer.authorize(question, tx);
      });
      const used = process.cpuUsage(cpu);
      const perCallUs = (used.user + used.system) / rounds;
      const readCpu = process.cpuUsage();
      await store.transaction(async (tx) => {
        for (let i = 0; i < rounds; i++) await tx.policyState.generations(ACCOUNT_ID);
      });
      const readUsed = process.cpuUsage(readCpu);
      const readUs = (readUsed.user + readUsed.system) / rounds;
      t.diagnostic(`authorize() with 10 attached policies, SQLite, in a transaction, under node:test (its async tracking inflates every await): ${perCallUs.toFixed(1)} µs CPU per warm check (the generations read alone: ${readUs.toFixed(1)} µs); first check (load + compile): ${coldMs.toFixed(1)} ms`);
      // Generous: a warm check must stay far below a refresh's own cost (about 1.1 ms of CPU in bench/).
      assert.ok(perCallUs < 500, `a warm check took ${perCallUs} µs of CPU`);
    }));
});
