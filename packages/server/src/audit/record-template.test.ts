// Record templates give back, byte for byte, the record cloudTrailJson writes: for the golden
// samples, for every principal shape, with and without TLS, and when the values that fill the
// holes are built to look like the template's own stand-ins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudTrailJson, recordTemplate, type AuditInput } from './cloudtrail-record.ts';
import { inputOf, sample, sampleNames } from './golden-samples.ts';
import { fillTemplate, templateFills, type RecordTemplate, type TemplatedRow } from '../store/audit-record-codec.ts';

/** The journal row of an event stored from a template: its columns and its fills. */
const rowOf = (input: AuditInput): TemplatedRow => ({
  access_key_id: input.accessKeyId!,
  event_time: input.eventTime,
  request_id: input.context.requestId,
  event_id: input.eventId,
  template_fills: templateFills(input.context),
});

const templateOf = (input: AuditInput): RecordTemplate => {
  const parts = recordTemplate(input);
  assert.ok(parts, 'the record splits into a template');
  return parts;
};

const base: AuditInput = { ...inputOf(sample('CreateOAuth2Token')), accessKeyId: 'ASIAEXAMPLEKEY000001' };

/** Another event of the same session: every value a template leaves open, changed. */
const anotherCall = (input: AuditInput, context: Partial<AuditInput['context']> = {}): AuditInput => ({
  ...input,
  accessKeyId: 'ASIAOTHERKEY00000002',
  eventTime: input.eventTime + 61_001,
  eventId: '019a9b3c-0000-7000-8000-000000000002',
  context: { requestId: 'b2c3d4e5-0000-4000-8000-000000000002', sourceIp: '2001:db8::7', userAgent: 'aws-sdk-js/3.940.0 ua/2.1 os/linux#6.1', ...context },
});

describe('record templates', () => {
  for (const name of sampleNames()) {
    it(`${name}: the golden sample, filled from its template, is the sample's text with the key Keyless issued`, () => {
      const golden = sample(name);
      const input = { ...inputOf(golden), accessKeyId: 'ASIAEXAMPLEKEY000001' };
      // The samples name no key; Keyless's records name the one issued, after accountId as CloudTrail places it.
      const account = `"accountId":${JSON.stringify(golden.userIdentity.accountId)}`;
      const expected = JSON.stringify(golden).replace(`${account},"sessionContext"`, `${account},"accessKeyId":"ASIAEXAMPLEKEY000001","sessionContext"`);
      assert.notEqual(expected, JSON.stringify(golden));
      assert.equal(fillTemplate(templateOf(input), rowOf(input)), expected);
    });
  }

  const shapes: Array<[string, Partial<AuditInput>]> = [
    ['an assumed role with MFA', { principal: { ...(base.principal as object), mfa: true } as AuditInput['principal'] }],
    ['an IAM user', { principal: { principalId: 'AIDAEXAMPLEUSER00001', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', sessionCreatedAt: 1_763_498_290_000 } }],
    ['root', { principal: { principalId: '111111111111', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root', sessionCreatedAt: 1_763_498_290_000, mfa: true } }],
    ['a federated role session', { principal: { ...(base.principal as object), federatedProvider: 'arn:aws:iam::111111111111:oidc-provider/sso.example.com' } as AuditInput['principal'] }],
    ['a refusal', { success: false, errorCode: 'INSUFFICIENT_PERMISSIONS', errorMessage: 'not "allowed"\n' }],
    ['another region and client', { region: 'eu-central-1', requestParameters: { client_id: 'arn:aws:signin:::devtools/cross-device' } }],
  ];
  for (const [what, change] of shapes) {
    it(`${what}: one template fills to every later call's record, with TLS and without`, () => {
      const first = { ...base, ...change };
      const parts = templateOf(first);
      for (const later of [first, anotherCall(first), anotherCall(first, { tls: undefined })]) {
        assert.equal(fillTemplate(parts, rowOf(later)), cloudTrailJson(later));
      }
    });
  }

  it('fills with values that escape, or that look like its own stand-ins, exactly as cloudTrailJson writes them', () => {
    const parts = templateOf(base);
    const tricky = [
      { userAgent: 'a "quoted" \\ agent\u0001 — ünïcode \ud83d', sourceIp: '\u0000ip\u0000' },
      { userAgent: '\u0000ua\u0000', sourceIp: '"sourceIPAddress":"\u0000ip\u0000"' },
      { userAgent: '","userAgent":"x', sourceIp: '192.0.2.1', requestId: '\u0000request\u0000' },
    ];
    for (const context of tricky) {
      const later = anotherCall(base, context);
      assert.equal(fillTemplate(parts, rowOf(later)), cloudTrailJson(later));
    }
  });

  it('the text a caller chose cannot be taken for a hole: a stand-in inside a parameter is escaped, and the template still fits', () => {
    const input = { ...base, requestParameters: { client_id: '"eventID":"\u0000event\u0000"' } };
    const parts = templateOf(input);
    const later = anotherCall(input);
    assert.equal(fillTemplate(parts, rowOf(later)), cloudTrailJson(later));
  });

  it('refuses a template of another shape rather than writing a wrong record', () => {
    assert.throws(() => fillTemplate(['{', '}'], rowOf(base)), /parts/);
    assert.throws(() => fillTemplate(templateOf(base), { ...rowOf(base), access_key_id: '' }), /names no access key/);
    assert.throws(() => fillTemplate(templateOf(base), { ...rowOf(base), template_fills: null }), /values are missing/);
  });
});
