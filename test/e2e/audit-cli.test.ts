// The audit trail with the tools people already use, against `keyless serve` (the built bundle):
// `aws cloudtrail lookup-events --endpoint-url …` (botocore: its JSON 1.1 target prefix, its
// paging, its error parsing), `keyless audit lookup | tail` for jq, and the CloudTrail log files
// exported across restarts and by a second exporter at once — each event exactly once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { AWS_CLI, awsCliVersion } from './support/aws-cli.ts';
import { newClient, refresh, signIn, type Client } from './support/audit-login.ts';
import { ensureBuilt } from './support/build.ts';
import { cleanEnv, cleanUp, e2eTest, runKeyless } from './support/processes.ts';
import { startServe, type Serving } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

const ROOT = { email: 'audit-cli@example.com', password: 'audit cli passphrase 1' };
const noAwsCli = awsCliVersion ? false : 'the AWS CLI (aws) is not installed';

let dataDir: string;
let exportDir: string;
let server: Serving;
let root: Client;

function startServer(): Promise<Serving> {
  return startServe({ KEYLESS_DATA_DIR: dataDir, KEYLESS_BOOTSTRAP_EMAIL: ROOT.email, KEYLESS_BOOTSTRAP_PASSWORD: ROOT.password, KEYLESS_AUDIT_EXPORT_DIR: exportDir });
}

/** `aws cloudtrail …` with the root's Keyless credentials and nothing else from this machine. */
function aws(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const home = makeTempDir('aws-home');
  const env = cleanEnv({
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: root.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: root.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: root.credentials.sessionToken,
    AWS_DEFAULT_REGION: 'us-east-1',
  });
  const result = spawnSync(AWS_CLI, ['cloudtrail', ...args, '--endpoint-url', server.url, '--output', 'json'], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const adminEnv = () => cleanEnv({ KEYLESS_DATA_DIR: dataDir, KEYLESS_AUDIT_EXPORT_DIR: exportDir });
const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);

/** Every record in the exported log files, with the file it is in. */
function exportedRecords(): Array<{ file: string; record: Record<string, any> }> {
  const out: Array<{ file: string; record: Record<string, any> }> = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else for (const record of JSON.parse(gunzipSync(readFileSync(full)).toString('utf8')).Records) out.push({ file: full.slice(exportDir.length + 1), record });
    }
  };
  walk(exportDir);
  return out;
}

describe('the audit trail with aws, keyless audit and exported log files', () => {
  before(async () => {
    ensureBuilt();
    dataDir = makeTempDir('audit-cli');
    exportDir = makeTempDir('audit-export');
    server = await startServer();
    const cookie = await signIn(server.url, ROOT);
    root = await newClient(server.url, cookie);
    for (let i = 0; i < 3; i++) assert.equal(await refresh(server.url, await newClient(server.url, cookie)), true);
    assert.equal(await refresh(server.url, root), true);
  });
  after(async () => {
    await server?.proc.stop();
    await cleanUp();
  });

  e2eTest('aws cloudtrail lookup-events pages through with --page-size, newest first', { timeout: 60_000 }, async (t) => {
    if (noAwsCli) return t.skip(noAwsCli);
    const result = aws(['lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateOAuth2Token', '--page-size', '2']);
    assert.equal(result.status, 0, result.stderr);
    const events = JSON.parse(result.stdout).Events as Array<Record<string, any>>;
    assert.equal(events.length, 8, 'four redemptions and four refreshes, over four pages');
    assert.ok(events.every((e) => e.EventName === 'CreateOAuth2Token' && e.Username === 'root' && /^ASIA/.test(e.AccessKeyId)));
    const times = events.map((e) => Date.parse(e.EventTime));
    assert.deepEqual([...times].sort((a, b) => b - a), times);
    const [newest] = events;
    assert.equal(newest!.AccessKeyId, root.credentials.accessKeyId, 'the latest refresh, found by the key it issued');
    const byKey = aws(['lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${root.credentials.accessKeyId}`]);
    assert.deepEqual(JSON.parse(byKey.stdout).Events.map((e: Record<string, string>) => e.EventId), [newest!.EventId]);
    assert.equal(JSON.parse(JSON.parse(result.stdout).Events[0].CloudTrailEvent).eventVersion, '1.11');
  });

  e2eTest('aws cloudtrail lookup-events: a time range, and CloudTrail\'s errors as botocore reads them', { timeout: 60_000 }, async (t) => {
    if (noAwsCli) return t.skip(noAwsCli);
    const future = aws(['lookup-events', '--start-time', '2099-01-01T00:00:00Z']);
    assert.equal(future.status, 0, future.stderr);
    assert.deepEqual(JSON.parse(future.stdout).Events, []);
    const two = aws(['lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=ConsoleLogin', 'AttributeKey=Username,AttributeValue=root']);
    assert.notEqual(two.status, 0);
    assert.match(two.stderr, /InvalidLookupAttributesException/);
    const backwards = aws(['lookup-events', '--start-time', '2026-01-02T00:00:00Z', '--end-time', '2026-01-01T00:00:00Z']);
    assert.match(backwards.stderr, /InvalidTimeRangeException/);
  });

  e2eTest('keyless audit lookup and tail print JSON lines for jq', { timeout: 60_000 }, async () => {
    const lookup = jsonLines((await runKeyless(['audit', 'lookup', '--event-name', 'CreateOAuth2Token', '--max', '100'], { env: adminEnv() })).stdout);
    assert.equal(lookup.length, 8);
    assert.ok(lookup.every((r) => r.eventName === 'CreateOAuth2Token' && r.userIdentity.type === 'Root'));
    const tail = jsonLines((await runKeyless(['audit', 'tail', '-n', '2'], { env: adminEnv() })).stdout);
    assert.deepEqual(tail.map((r) => r.eventID), lookup.slice(0, 2).map((r) => r.eventID).reverse(), 'the latest two, oldest first');
  });

  e2eTest('log files: exported at start, again after a restart, and by a second exporter at once — every event exactly once', { timeout: 90_000 }, async () => {
    // The server exported the bootstrap's CreateAccount when it started; everything since waits.
    const second = runKeyless(['audit', 'export'], { env: adminEnv() });
    await server.proc.stop();
    server = await startServer(); // exports at start, racing the `keyless audit export` above
    await second;
    const cookie = await signIn(server.url, ROOT);
    await newClient(server.url, cookie);
    await server.proc.stop();
    server = await startServer();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runKeyless(['audit', 'export'], { env: adminEnv() });

    const stored = jsonLines((await runKeyless(['audit', 'lookup', '--max', '100000'], { env: adminEnv() })).stdout);
    const exported = exportedRecords();
    const ids = exported.map((e) => e.record.eventID);
    assert.equal(new Set(ids).size, ids.length, 'no event in two files');
    assert.deepEqual([...ids].sort(), stored.map((r) => r.eventID).sort(), 'every event in a file');
    for (const { file, record } of exported) {
      const account = record.recipientAccountId as string;
      assert.match(file, new RegExp(`^AWSLogs/${account}/CloudTrail/${record.awsRegion}/\\d{4}/\\d{2}/\\d{2}/${account}_CloudTrail_${record.awsRegion}_\\d{8}T\\d{4}Z_\\d{16}\\.json\\.gz$`));
    }
  });
});
