// LookupEvents through the official @aws-sdk/client-cloudtrail on a real socket: paging with each
// lookup attribute, time ranges, CloudTrail's validation errors, account scoping, authorisation.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type Event, type LookupAttribute, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { newLoginAttempt, obtainCode, postToken, redeemBody, startHarness, ACCOUNT_ID, type Harness } from '../testing/harness.ts';
import { systemRandom } from '../crypto/ids.ts';
import { createUser } from '../directory/directory-admin.ts';
import { attachPolicy } from '../iam/admin/attachments.ts';
import { CLOUDTRAIL_READ_ONLY_ACCESS_ARN, SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../iam/policy/index.ts';
import { auditEventRow, type AuditInput } from '../audit/cloudtrail-record.ts';
import { operatorRequest } from '../audit/iam-events.ts';
import type { Repos } from '../store/store.ts';

/** Appends a whole record with the id the test gives it, as the trail would with its own. */
const recordAuditEvent = (tx: Pick<Repos, 'audit'>, input: AuditInput) => tx.audit.append(auditEventRow(input), input.resources);

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

const OTHER_ACCOUNT = '222222222222';
const MINUTE = 60_000;
const SYNTHETIC = 130;

/** What was seeded, to compute the expected answer of each lookup. */
interface Seeded {
  eventId: string;
  eventName: string;
  username: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId?: string;
  resources: Array<{ type: string; name: string }>;
  time: number;
  accountId: string;
}

describe('LookupEvents with @aws-sdk/client-cloudtrail', () => {
  let h: Harness;
  let endpoint: string;
  let root: Creds;
  let alice: Creds;
  const seeded: Seeded[] = [];
  let base: number;

  const login = async (as: 'root' | 'iam'): Promise<Creds> => {
    const attempt = newLoginAttempt();
    const browser = h.browser();
    const code = as === 'iam' ? await obtainCode(h, attempt, browser) : await (async () => {
      await browser.signIn({ mode: 'root' });
      const redirect = await browser.authorize(attempt.params);
      return new URL(String(redirect.headers.location)).searchParams.get('code')!;
    })();
    return (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken;
  };

  before(async () => {
    h = await startHarness();
    await h.service.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(h.service.app.server.address() as AddressInfo).port}`;
    root = await login('root');
    alice = await login('iam');
    // Synthetic events over the last ~2 hours, ten of them in the same millisecond (ties page by seq).
    base = h.clock.now() - 3 * 3600_000;
    const names = ['CreateOAuth2Token', 'ConsoleLogin', 'AuthorizeOAuth2Access', 'CreateUser'];
    const users = ['carol', 'dave', 'erin'];
    await h.service.store.transaction(async (tx) => {
      for (let i = 0; i < SYNTHETIC; i++) {
        const user = users[i % users.length]!;
        const event: Seeded = {
          eventId: crypto.randomUUID(),
          eventName: names[i % names.length]!,
          username: user,
          eventSource: i % 4 === 3 ? 'iam.amazonaws.com' : 'signin.amazonaws.com',
          readOnly: i % 2 === 0,
          accessKeyId: i % 4 === 0 ? `ASIA${String(i % 8).padStart(16, 'Q')}` : undefined,
          resources: i % 4 === 3 ? [{ type: 'AWS::IAM::User', name: `user-${i % 5}` }] : [],
          time: base + (i < 10 ? 0 : i * MINUTE),
          accountId: i % 13 === 12 ? OTHER_ACCOUNT : ACCOUNT_ID,
        };
        seeded.push(event);
        await recordAuditEvent(tx, {
          eventName: event.eventName,
          eventSource: event.eventSource,
          readOnly: event.readOnly,
          principal: { principalId: `AIDA${user.toUpperCase()}`, accountId: event.accountId, arn: `arn:aws:iam::${event.accountId}:user/${user}` },
          region: 'us-east-1',
          context: { requestId: crypto.randomUUID(), sourceIp: '192.0.2.7', userAgent: 'seed' },
          eventId: event.eventId,
          eventTime: event.time,
          requestParameters: null,
          success: true,
          accessKeyId: event.accessKeyId,
          resources: event.resources,
        });
      }
    });
  });
  after(() => h.close());

  const client = (credentials: Creds) => new CloudTrailClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });

  /** Every page, with the given page size; asserts the pages are newest first and never repeat. */
  async function pageAll(input: LookupEventsCommandInput, pageSize: number): Promise<Event[]> {
    const events: Event[] = [];
    let pages = 0;
    for await (const page of paginateLookupEvents({ client: client(root), pageSize }, input)) {
      pages++;
      assert.ok((page.Events ?? []).length <= pageSize);
      events.push(...(page.Events ?? []));
    }
    const ids = events.map((e) => e.EventId);
    assert.equal(new Set(ids).size, ids.length, 'no event on two pages');
    for (let i = 1; i < events.length; i++) assert.ok(events[i - 1]!.EventTime! >= events[i]!.EventTime!, 'newest first');
    assert.ok(pages >= Math.ceil(events.length / pageSize));
    return events;
  }

  const syntheticWindow = () => ({ StartTime: new Date(base), EndTime: new Date(base + SYNTHETIC * MINUTE) });
  const expected = (match: (e: Seeded) => boolean) =>
    seeded.filter((e) => e.accountId === ACCOUNT_ID && match(e)).map((e) => e.eventId).sort();

  const attributeCases: Array<[LookupAttribute['AttributeKey'], string, (e: Seeded) => boolean]> = [
    ['EventName', 'ConsoleLogin', (e) => e.eventName === 'ConsoleLogin'],
    ['Username', 'carol', (e) => e.username === 'carol'],
    ['EventSource', 'iam.amazonaws.com', (e) => e.eventSource === 'iam.amazonaws.com'],
    ['ReadOnly', 'false', (e) => !e.readOnly],
    ['AccessKeyId', `ASIA${'4'.padStart(16, 'Q')}`, (e) => e.accessKeyId === `ASIA${'4'.padStart(16, 'Q')}`],
    ['ResourceType', 'AWS::IAM::User', (e) => e.resources.length > 0],
    ['ResourceName', 'user-3', (e) => e.resources.some((r) => r.name === 'user-3')],
  ];
  for (const [key, value, match] of attributeCases) {
    it(`pages through ${key} = ${value}, 4 at a time, exactly the account's matching events`, async () => {
      const events = await pageAll({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], ...syntheticWindow() }, 4);
      const want = expected(match);
      assert.ok(want.length > 4, `the case spans pages (${want.length})`);
      assert.deepEqual(events.map((e) => e.EventId).sort(), want);
    });
  }

  it('finds one event by EventId, and nothing for another account\'s', async () => {
    const mine = seeded.find((e) => e.accountId === ACCOUNT_ID)!;
    const theirs = seeded.find((e) => e.accountId === OTHER_ACCOUNT)!;
    const found = await client(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: mine.eventId }] }));
    assert.deepEqual(found.Events?.map((e) => e.EventId), [mine.eventId]);
    const none = await client(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: theirs.eventId }] }));
    assert.deepEqual(none.Events, []);
  });

  it('answers the summary fields CloudTrail returns, with the record as CloudTrailEvent', async () => {
    const withKey = seeded.find((e) => e.accountId === ACCOUNT_ID && e.accessKeyId && e.eventSource === 'signin.amazonaws.com')!;
    const { Events } = await client(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: withKey.eventId }] }));
    const [event] = Events!;
    assert.equal(event!.EventName, withKey.eventName);
    assert.equal(event!.ReadOnly, String(withKey.readOnly));
    assert.equal(event!.AccessKeyId, withKey.accessKeyId);
    assert.equal(event!.EventSource, withKey.eventSource);
    assert.equal(event!.Username, withKey.username);
    assert.deepEqual(event!.Resources, []);
    assert.ok(event!.EventTime instanceof Date);
    assert.equal(event!.EventTime!.getTime(), withKey.time);
    const record = JSON.parse(event!.CloudTrailEvent!);
    assert.equal(record.eventID, withKey.eventId);
    assert.equal(record.userIdentity.accessKeyId, withKey.accessKeyId);
    const resourceEvent = seeded.find((e) => e.accountId === ACCOUNT_ID && e.resources.length > 0)!;
    const [withResource] = (await client(root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: resourceEvent.eventId }] }))).Events!;
    assert.deepEqual(withResource!.Resources, [{ ResourceType: 'AWS::IAM::User', ResourceName: resourceEvent.resources[0]!.name }]);
  });

  it('without attributes: the whole account newest first, its own logins included; 50 per page by default', async () => {
    const first = await client(root).send(new LookupEventsCommand({}));
    assert.equal(first.Events!.length, 50);
    assert.ok(first.NextToken);
    assert.equal(first.Events![0]!.Username, 'alice', 'the newest events are the logins of set-up');
    const all = await pageAll({}, 50);
    const mine = seeded.filter((e) => e.accountId === ACCOUNT_ID).length;
    assert.ok(all.length > mine, 'the logins of set-up are there too');
    assert.ok(all.every((e) => JSON.parse(e.CloudTrailEvent!).recipientAccountId === ACCOUNT_ID));
  });

  it('honours StartTime and EndTime, both inclusive to the second', async () => {
    const from = seeded[20]!.time;
    const to = seeded[40]!.time;
    const events = await pageAll({ StartTime: new Date(from), EndTime: new Date(to), LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'dave' }] }, 50);
    assert.deepEqual(events.map((e) => e.EventId).sort(), expected((e) => e.username === 'dave' && e.time >= from && e.time <= to));
    const instant = await pageAll({ StartTime: new Date(base), EndTime: new Date(base) }, 3);
    assert.equal(instant.length, seeded.filter((e) => e.time === base && e.accountId === ACCOUNT_ID).length, 'ten events in one millisecond page by seq');
  });

  it('refuses more than one attribute, an unknown key and a ReadOnly that is not a boolean: InvalidLookupAttributesException', async () => {
    const send = (LookupAttributes: LookupAttribute[]) => client(root).send(new LookupEventsCommand({ LookupAttributes }));
    await assert.rejects(
      send([
        { AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' },
        { AttributeKey: 'Username', AttributeValue: 'carol' },
      ]),
      { name: 'InvalidLookupAttributesException' },
    );
    await assert.rejects(send([{ AttributeKey: 'Region' as LookupAttribute['AttributeKey'], AttributeValue: 'x' }]), { name: 'InvalidLookupAttributesException' });
    await assert.rejects(send([{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }]), { name: 'InvalidLookupAttributesException' });
  });

  it('refuses a start after the end (InvalidTimeRangeException) and MaxResults outside 1–50 (InvalidMaxResultsException)', async () => {
    await assert.rejects(client(root).send(new LookupEventsCommand({ StartTime: new Date(base + MINUTE), EndTime: new Date(base) })), { name: 'InvalidTimeRangeException' });
    for (const MaxResults of [0, 51]) {
      await assert.rejects(client(root).send(new LookupEventsCommand({ MaxResults })), { name: 'InvalidMaxResultsException' });
    }
    await assert.rejects(client(root).send(new LookupEventsCommand({ EventCategory: 'management' as 'insight' })), { name: 'InvalidEventCategoryException' });
    assert.deepEqual((await client(root).send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events, []);
  });

  it('refuses a forged or altered NextToken, and one issued for other parameters: InvalidNextTokenException', async () => {
    const query = { LookupAttributes: [{ AttributeKey: 'Username' as const, AttributeValue: 'carol' }], MaxResults: 5, ...syntheticWindow() };
    const { NextToken } = await client(root).send(new LookupEventsCommand(query));
    assert.ok(NextToken);
    const altered = NextToken.slice(0, -3) + (NextToken.endsWith('AAA') ? 'BBB' : 'AAA');
    await assert.rejects(client(root).send(new LookupEventsCommand({ ...query, NextToken: altered })), { name: 'InvalidNextTokenException' });
    await assert.rejects(client(root).send(new LookupEventsCommand({ ...query, NextToken: 'not-a-token' })), { name: 'InvalidNextTokenException' });
    await assert.rejects(
      client(root).send(new LookupEventsCommand({ ...query, LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'dave' }], NextToken })),
      { name: 'InvalidNextTokenException' },
    );
    await assert.rejects(client(root).send(new LookupEventsCommand({ ...query, EndTime: new Date(), NextToken })), { name: 'InvalidNextTokenException' });
    const second = await client(root).send(new LookupEventsCommand({ ...query, MaxResults: 50, NextToken }));
    assert.ok(second.Events!.length > 0, 'the page size may change between pages');
  });

  it('answers an IAM user whose policy allows cloudtrail:LookupEvents (AWSCloudTrail_ReadOnlyAccess)', async () => {
    const deps = h.service.deps;
    await createUser(deps, { accountId: ACCOUNT_ID, userName: 'auditor', password: 'auditor-password-1' });
    for (const policyArn of [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, CLOUDTRAIL_READ_ONLY_ACCESS_ARN]) {
      await attachPolicy(deps, operatorRequest(systemRandom, 'attach-user-policy'), { kind: 'user', accountId: ACCOUNT_ID, name: 'auditor', policyArn });
    }
    const attempt = newLoginAttempt();
    const browser = h.browser();
    await browser.signIn({ mode: 'iam', username: 'auditor', password: 'auditor-password-1' });
    const code = new URL(String((await browser.authorize(attempt.params)).headers.location)).searchParams.get('code')!;
    const auditor = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken as Creds;
    const { Events } = await client(auditor).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'auditor' }] }));
    assert.deepEqual(
      Events!.map((e) => e.EventName).filter((name) => name !== 'AttachUserPolicy'),
      ['CreateOAuth2Token', 'AuthorizeOAuth2Access', 'ConsoleLogin'],
      'its own login, newest first',
    );
  });

  it('refuses a principal no policy allows cloudtrail:LookupEvents: alice may only sign in (AccessDeniedException)', async () => {
    await assert.rejects(client(alice).send(new LookupEventsCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'AccessDeniedException');
      assert.match(error.message, /arn:aws:iam::111111111111:user\/alice is not authorized to perform: cloudtrail:LookupEvents/);
      return true;
    });
  });

  it('speaks to botocore\'s long X-Amz-Target prefix too, and requires SigV4', async () => {
    const unsigned = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' },
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
    assert.match(((await unsigned.json()) as { __type: string }).__type, /^com\.amazonaws\.cloudtrail\.v20131101#/);
  });
});
