// The event of issued credentials, written from the session's record template, is the row the
// whole record would have made: the same columns, and the same record once read back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Random } from '../crypto/ids.ts';
import type { RequestContext } from '../request-context.ts';
import { fillTemplate } from '../store/audit-record-codec.ts';
import { MAX_SESSION_SECONDS } from '../directory/directory-admin.ts';
import { MAX_ROLE_SESSION_SECONDS } from '../iam/validate.ts';
import { TEMPLATE_MARGIN_MS } from '../store/repos/audit-events.ts';
import { loginSession } from '../testing/store-contract/fixtures.ts';
import type { LoginSession, Repos } from '../store/store.ts';
import { createAuditTrail } from './trail.ts';

/** The same uuids, in the same order, for every copy: two paths that draw alike get the same ids. */
const replayable = (): Random => {
  let n = 0;
  return { bytes: (count) => Buffer.alloc(count, ++n), uuid: () => `0b338fac-6a10-4740-b34d-${String(++n).padStart(12, '0')}` };
};

/** Stores the template as the authorization-code grant does, and hands back what was stored. */
async function withTemplate(session: Omit<LoginSession, 'audit_template_id'>, now: number) {
  const stored: Array<{ id: string; parts: readonly string[] }> = [];
  const tx = { audit: { createTemplate: async (t: { id: string; parts: readonly string[] }) => void stored.push(t) } } as unknown as Repos;
  const id = await createAuditTrail(replayable()).storeTokenTemplate(tx, session, now);
  assert.ok(id);
  assert.equal(stored[0]?.id, id);
  return { session: { ...session, audit_template_id: id }, parts: stored[0]!.parts };
}

const principals = [
  { id: 'AIDAEXAMPLEUSER00001', account_id: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice' },
  { id: '111122223333', account_id: '111122223333', arn: 'arn:aws:iam::111122223333:root' },
  { id: 'AROAEXAMPLEROLE00001', account_id: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com' },
];
const contexts: RequestContext[] = [
  { requestId: 'a1b2c3d4-0000-4000-8000-000000000001', sourceIp: '192.0.2.7', userAgent: 'aws-cli/2.32.0 md/command#login' },
  { requestId: 'a1b2c3d4-0000-4000-8000-000000000002', sourceIp: '2001:db8::1', userAgent: 'a "quoted" agent\u0001', tls: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'signin.example.com' } },
];

describe("the trail's CreateOAuth2Token row of issued credentials", () => {
  for (const principal of principals) {
    it(`${principal.arn}: from the template, the same columns and, filled, the same record as stored whole`, async () => {
      const created = 1_795_467_121_525;
      const { audit_template_id: _, ...fresh } = loginSession('session-1', principal as never, { mfa: principal.id === '111122223333' ? 1 : 0, created_at: created });
      const { session, parts } = await withTemplate(fresh, created);
      for (const context of contexts) {
        const input = { session, context, now: created + 3_600_123, accessKeyId: 'ASIAEXAMPLEKEY000001' };
        const templated = createAuditTrail(replayable()).rotationEvent(input)!;
        const whole = createAuditTrail(replayable()).rotationEvent({ ...input, session: { ...session, audit_template_id: null } })!;
        const { record, template_id, template_fills, ...columns } = templated;
        const { record: wholeRecord, ...wholeColumns } = whole;
        assert.deepEqual(columns, wholeColumns);
        assert.equal(record, '');
        assert.equal(template_id, session.audit_template_id);
        assert.equal(fillTemplate(parts, { ...columns, access_key_id: columns.access_key_id ?? null, template_fills: template_fills ?? null }), wholeRecord);
      }
    });
  }

  it('stores the record whole when a value it would leave out is missing (no address once the socket is gone)', async () => {
    const { audit_template_id: _, ...fresh } = loginSession('session-1', { id: principals[0]!.id, account_id: principals[0]!.account_id, arn: principals[0]!.arn } as never);
    const { session } = await withTemplate(fresh, fresh.created_at);
    const context = { ...contexts[0]!, sourceIp: undefined as unknown as string };
    const row = createAuditTrail(replayable()).rotationEvent({ session, context, now: fresh.created_at + 1000, accessKeyId: 'ASIAEXAMPLEKEY000001' })!;
    assert.equal(row.template_id, undefined);
    assert.equal('sourceIPAddress' in JSON.parse(row.record), false, 'as cloudTrailJson writes it: the member left out');
  });

  it("a template outlives its session's last possible event: the purge margin exceeds the longest session", () => {
    assert.ok(TEMPLATE_MARGIN_MS > Math.max(MAX_SESSION_SECONDS, MAX_ROLE_SESSION_SECONDS) * 1000);
  });
});
