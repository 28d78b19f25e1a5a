// What the policy check costs a refresh (issue 4: "the token endpoint's refresh throughput drops by
// less than 10% with policies enabled"), in CPU time rather than throughput, so that it can be read
// on a shared machine: the refresh grant's question (signin:CreateOAuth2Token with its condition
// keys) to the real policy authorizer, inside a transaction on the real store (SQLite file, the
// server's pragmas and statement cache), against the same transaction without it — alternating
// blocks, CPU from process.cpuUsage. Root (no identity policies) and an IAM user with the
// AWS-managed SignInLocalDevelopmentAccess attached, as `keyless login` users have it.
//
//   node --import tsx bench/refresh-policy-cost.ts [--iterations 20000] [--refresh-ms 1.2]
//
// --refresh-ms: the server CPU per refresh measured by bench/refresh.mjs (SQLite, 1 worker, 64
// connections); the authorizer's share of it is what policies cost a CPU-bound server.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SAME_DEVICE_CLIENT_ID } from '@keyless/protocol';
import { createPolicyAuthorizer } from '../packages/server/src/iam/policy-authorizer.ts';
import { signinQuestion } from '../packages/server/src/iam/signin-authorization.ts';
import { ACCOUNT_ID, USER_NAME, startHarness } from '../packages/server/src/testing/harness.ts';
import type { AuthorizationQuestion } from '../packages/server/src/iam/authorizer.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '20000' }, 'refresh-ms': { type: 'string', default: '1.2' } } });
const iterations = Number(values.iterations);
const refreshMs = Number(values['refresh-ms']);
const BLOCK = 500;

const harness = await startHarness();
const { store } = harness.service;
const authorizer = createPolicyAuthorizer(store, harness.clock);
const root = (await store.read((rs) => rs.directory.listPrincipals(ACCOUNT_ID))).find((p) => p.kind === 'root')!;
const alice = (await store.read((rs) => rs.directory.findUser(ACCOUNT_ID, USER_NAME)))!;

const questionFor = (principal: typeof root): AuthorizationQuestion =>
  signinQuestion({
    principal: { principal_id: principal.id, account_id: principal.account_id, arn: principal.arn, mfa: 0 },
    action: 'signin:CreateOAuth2Token',
    clientId: SAME_DEVICE_CLIENT_ID,
    region: 'us-east-1',
    sourceIp: '127.0.0.1',
    grantType: 'refresh_token',
  });

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU µs per transaction, with and without the check, over alternating blocks. */
async function measure(question: AuthorizationQuestion): Promise<{ withCheck: number; without: number; allowed: boolean }> {
  const spent = { withCheck: 0, without: 0 };
  let allowed = true;
  const block = async (check: boolean) => {
    const started = cpuMs();
    for (let i = 0; i < BLOCK; i++) {
      await store.transaction(async (tx) => {
        if (check) allowed = (await authorizer.authorize(question, tx)).allowed && allowed;
      });
    }
    spent[check ? 'withCheck' : 'without'] += cpuMs() - started;
  };
  for (let i = 0; i < 4; i++) await block(i % 2 === 0); // warm-up: JIT, compiled policy cache
  spent.withCheck = 0;
  spent.without = 0;
  for (let done = 0; done < iterations; done += 2 * BLOCK) {
    const order = (done / (2 * BLOCK)) % 2 === 0 ? [true, false] : [false, true];
    for (const check of order) await block(check);
  }
  const per = iterations / 2;
  return { withCheck: (spent.withCheck / per) * 1000, without: (spent.without / per) * 1000, allowed };
}

const started = performance.now();
process.stdout.write(`signin:CreateOAuth2Token at refresh, ${iterations / 2} transactions each way\n\n`);
process.stdout.write(`principal | allowed | txn µs CPU with check | without | check costs µs | % of a refresh (${refreshMs} ms CPU)\n`);
for (const [name, principal] of [
  ['root', root],
  ['IAM user + SignInLocalDevelopmentAccess', alice],
] as const) {
  const r = await measure(questionFor(principal));
  const cost = r.withCheck - r.without;
  process.stdout.write(`${name} | ${r.allowed} | ${r.withCheck.toFixed(1)} | ${r.without.toFixed(1)} | ${cost.toFixed(1)} | ${((cost / (refreshMs * 1000)) * 100).toFixed(1)}%\n`);
}
process.stdout.write(`\n(${Math.round((performance.now() - started) / 1000)} s)\n`);
await harness.close();
