// The record builder against the golden files: given what AWS knew when it wrote each sample in
// reference/cloudtrail-samples/, cloudTrailRecord writes that very record — every field, every
// value, in the same key order (JSON text equality, not just deep equality).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditEventRow, cloudTrailJson, cloudTrailRecord } from './cloudtrail-record.ts';
import { inputOf, sample, sampleNames } from './golden-samples.ts';
import { KEYLESS_ADMIN } from './identity.ts';

describe('CloudTrail records against the golden samples', () => {
  const names = sampleNames();

  it('covers every sample', () => assert.deepEqual(names.sort(), ['AuthorizeOAuth2Access', 'CreateOAuth2Token']));

  for (const name of names) {
    it(`${name}: the sample, field for field and in order`, () => {
      const golden = sample(name);
      const record = cloudTrailRecord(inputOf(golden));
      assert.deepEqual(record, golden);
      assert.equal(JSON.stringify(record), JSON.stringify(golden), 'same key order');
      assert.equal(cloudTrailJson(inputOf(golden)), JSON.stringify(golden), 'the text the journal stores');
      assert.equal(auditEventRow(inputOf(golden)).record, JSON.stringify(golden));
    });
  }

  it('writes the text JSON.stringify would: escapes in the user agent, error message and parameters, undefined members left out', () => {
    const input = inputOf(sample('CreateOAuth2Token'));
    const text = cloudTrailJson({
      ...input,
      context: { ...input.context, userAgent: 'a "quoted" \\ agent\u0001 — ünïcode \ud83d', tls: undefined },
      requestParameters: { client_id: 'x"y', skipped: undefined, nested: { list: [1, null, 'z'] } },
      success: false,
      errorCode: 'invalid_grant',
      errorMessage: 'line\nbreak "quoted"',
    });
    assert.equal(text, JSON.stringify(JSON.parse(text)));
    const record = JSON.parse(text);
    assert.equal(record.userAgent, 'a "quoted" \\ agent\u0001 — ünïcode \ud83d');
    assert.deepEqual(record.requestParameters, { client_id: 'x"y', nested: { list: [1, null, 'z'] } });
    assert.equal(record.errorMessage, 'line\nbreak "quoted"');
  });

  it('without TLS there is no tlsDetails; a failure adds errorCode and errorMessage before requestParameters', () => {
    const golden = sample('CreateOAuth2Token');
    const input = inputOf(golden);
    const record = cloudTrailRecord({ ...input, context: { ...input.context, tls: undefined }, success: false, errorCode: 'invalid_grant', errorMessage: 'no' });
    assert.equal('tlsDetails' in record, false);
    const keys = Object.keys(record);
    assert.deepEqual(keys.slice(keys.indexOf('userAgent'), keys.indexOf('requestParameters') + 1), ['userAgent', 'errorCode', 'errorMessage', 'requestParameters']);
    assert.deepEqual(record.additionalEventData, { success: 'false', 'x-amzn-vpce-id': '' });
  });

  it('userIdentity of an IAM user and of root, as CloudTrail writes them', () => {
    const base = inputOf(sample('CreateOAuth2Token'));
    const user = cloudTrailRecord({
      ...base,
      principal: { principalId: 'AIDAEXAMPLEUSER00001', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', sessionCreatedAt: Date.parse('2025-11-18T20:38:10Z') },
      accessKeyId: 'ASIAEXAMPLEKEY000001',
    });
    assert.deepEqual(user.userIdentity, {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSER00001',
      arn: 'arn:aws:iam::111111111111:user/alice',
      accountId: '111111111111',
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      userName: 'alice',
      sessionContext: { attributes: { creationDate: '2025-11-18T20:38:10Z', mfaAuthenticated: 'false' } },
    });
    const root = cloudTrailRecord({ ...base, principal: { principalId: '111111111111', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root', sessionCreatedAt: Date.parse('2025-11-18T20:38:10Z'), mfa: true } });
    assert.deepEqual(root.userIdentity, {
      type: 'Root',
      principalId: '111111111111',
      arn: 'arn:aws:iam::111111111111:root',
      accountId: '111111111111',
      sessionContext: { attributes: { creationDate: '2025-11-18T20:38:10Z', mfaAuthenticated: 'true' } },
    });
  });

  it('ConsoleLogin keeps CloudTrail\'s sign-in shape: outcome in responseElements, MFAUsed, no success flag; a failure has errorMessage only', () => {
    const base = inputOf(sample('AuthorizeOAuth2Access'));
    const record = cloudTrailRecord({
      ...base,
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      readOnly: false,
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: 'No' },
      success: false,
      errorMessage: 'Failed authentication',
    });
    assert.equal(record.errorMessage, 'Failed authentication');
    assert.equal('errorCode' in record, false);
    assert.deepEqual(record.additionalEventData, { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: 'No' });
    assert.equal(record.eventType, 'AwsConsoleSignIn');
  });

  it('an IAM change by the operator: AWSService identity, the account as recipient, no additionalEventData', () => {
    const base = inputOf(sample('CreateOAuth2Token'));
    const record = cloudTrailRecord({
      ...base,
      eventName: 'CreateUser',
      eventSource: 'iam.amazonaws.com',
      readOnly: false,
      principal: KEYLESS_ADMIN,
      recipientAccountId: '111111111111',
      requestParameters: { userName: 'alice' },
    });
    assert.deepEqual(record.userIdentity, { type: 'AWSService', invokedBy: 'keyless admin' });
    assert.equal(record.recipientAccountId, '111111111111');
    assert.equal('additionalEventData' in record, false);
    assert.throws(() => cloudTrailRecord({ ...base, principal: KEYLESS_ADMIN }), /names the account/);
  });
});
