// `keyless audit lookup | tail | export`, run as the CLI runs them, against a harness's database.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { auditEventRow, type AuditInput } from '../audit/cloudtrail-record.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { parseInstant, registerAudit } from './audit.ts';
import type { Repos } from '../store/store.ts';

/** Appends a whole record with the id the test gives it, as the trail would with its own. */
const recordAuditEvent = (tx: Pick<Repos, 'audit'>, input: AuditInput) => tx.audit.append(auditEventRow(input), input.resources);

describe('keyless audit', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.browser().signIn();
    await h.browser().signIn({ mode: 'root' });
    await h.browser().signIn({ mode: 'iam', password: 'wrong-password-1' });
  });
  after(() => h.close());

  /** Runs `keyless audit …args` and returns the JSON lines it printed. */
  async function run(args: string[], interrupted?: () => Promise<void>): Promise<Array<Record<string, any>>> {
    let output = '';
    const program = new Command('keyless').exitOverride();
    registerAudit(program, { env: { KEYLESS_DATA_DIR: h.config.dataDir }, out: (text) => (output += text), interrupted });
    await program.parseAsync(['node', 'keyless', 'audit', ...args]);
    return output.trim() === '' ? [] : output.trim().split('\n').map((line) => JSON.parse(line));
  }

  it('lookup prints the matching CloudTrail records, newest first, one JSON object a line', async () => {
    const logins = await run(['lookup', '--event-name', 'ConsoleLogin']);
    assert.deepEqual(logins.map((r) => [r.userIdentity.type, r.responseElements.ConsoleLogin]), [
      ['IAMUser', 'Failure'],
      ['Root', 'Success'],
      ['IAMUser', 'Success'],
    ]);
    assert.equal((await run(['lookup', '--username', 'alice', '--max', '1'])).length, 1);
    const iam = await run(['lookup', '--event-source', 'iam.amazonaws.com', '--account', h.accountId]);
    const names = iam.map((r) => r.eventName);
    assert.ok(names.indexOf('CreateLoginProfile') < names.indexOf('CreateUser') && names.indexOf('CreateLoginProfile') >= 0, names.join());
    assert.deepEqual(await run(['lookup', '--event-name', 'ConsoleLogin', '--end', '2000-01-01T00:00:00Z']), []);
    assert.deepEqual(await run(['lookup', '--account', '999999999999']), []);
  });

  it('lookup --summary prints LookupEvents\' Event objects', async () => {
    const [summary] = await run(['lookup', '--resource-name', 'alice', '--summary', '--max', '1']);
    assert.deepEqual(Object.keys(summary!), ['EventId', 'EventName', 'ReadOnly', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent']);
    assert.ok(summary!.Resources.some((r: Record<string, string>) => r.ResourceType === 'AWS::IAM::User' && r.ResourceName === 'alice'));
  });

  it('lookup refuses two attributes, as LookupEvents does, and a time that is not one', async () => {
    await assert.rejects(run(['lookup', '--event-name', 'ConsoleLogin', '--username', 'alice']), /at most one attribute/);
    await assert.rejects(run(['lookup', '--start', 'yesterday-ish']), /is not a time/);
    await assert.rejects(run(['lookup', '--read-only', 'maybe']), /true or false/);
  });

  it('tail prints the latest records oldest first; --follow prints each new one as it commits', async () => {
    const all = await h.service.store.read((rs) => rs.audit.list({ limit: 3 }));
    assert.deepEqual((await run(['tail', '-n', '3'])).map((r) => r.eventID), all.map((row) => row.event_id).reverse());

    let interrupt = () => {};
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    let output = '';
    const program = new Command('keyless').exitOverride();
    registerAudit(program, { env: { KEYLESS_DATA_DIR: h.config.dataDir }, out: (text) => (output += text), interrupted: () => interrupted });
    const following = program.parseAsync(['node', 'keyless', 'audit', 'tail', '-n', '0', '--follow', '--interval', '20']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(output, '', '-n 0: nothing old');
    await h.service.store.transaction((tx) =>
      recordAuditEvent(tx, {
        eventName: 'ConsoleLogin',
        readOnly: false,
        principal: { principalId: 'AIDAFOLLOW', accountId: h.accountId, arn: `arn:aws:iam::${h.accountId}:user/follow` },
        region: 'us-east-1',
        context: { requestId: 'r', sourceIp: '192.0.2.9', userAgent: 'ua' },
        eventId: '11111111-2222-4333-8444-555555555555',
        eventTime: h.clock.now(),
        requestParameters: null,
        success: true,
      }),
    );
    for (let i = 0; i < 100 && !output.includes('\n'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    interrupt();
    await following;
    assert.equal(JSON.parse(output.trim()).eventID, '11111111-2222-4333-8444-555555555555');
  });

  it('export writes the pending log files now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyless-cli-export-'));
    try {
      const [result] = await run(['export', '--dir', dir]);
      assert.ok(result!.events > 5);
      assert.deepEqual(readdirSync(join(dir, 'AWSLogs')), [h.accountId]);
      assert.deepEqual((await run(['export', '--dir', dir]))[0], { batches: [], files: [], events: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads instants as ISO 8601, epoch seconds or an age', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    assert.equal(parseInstant('2026-11-23T11:00:00Z', now), now - 3600_000);
    assert.equal(parseInstant('1795467121', now), 1_795_467_121_000);
    assert.equal(parseInstant('90m', now), now - 90 * 60_000);
    assert.equal(parseInstant('7d', now), now - 7 * 24 * 3600_000);
  });
});
