import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAME_DEVICE_CLIENT_ID } from './clients.ts';
import { SigninError } from './errors.ts';
import { parseRevokeRequest } from './revoke-request.ts';

describe('parseRevokeRequest (POST /v1/revoke)', () => {
  it("reads the model's spelling and RFC 7009's alike", () => {
    const expected = { clientId: SAME_DEVICE_CLIENT_ID, refreshToken: 'ASORtoken' };
    assert.deepEqual(parseRevokeRequest({ clientId: SAME_DEVICE_CLIENT_ID, refreshToken: 'ASORtoken' }), expected);
    assert.deepEqual(parseRevokeRequest({ client_id: SAME_DEVICE_CLIENT_ID, token: 'ASORtoken' }), expected);
    assert.deepEqual(parseRevokeRequest({ client_id: SAME_DEVICE_CLIENT_ID, refresh_token: 'ASORtoken' }), expected);
  });

  it('refuses a missing or oversized token, an unknown client and a body that is no object', () => {
    for (const body of [{ clientId: SAME_DEVICE_CLIENT_ID }, { clientId: SAME_DEVICE_CLIENT_ID, refreshToken: '' }, { clientId: SAME_DEVICE_CLIENT_ID, refreshToken: 'x'.repeat(4097) }, { refreshToken: 'ASORtoken', clientId: 'arn:aws:signin:::devtools/other' }, 'text', null]) {
      assert.throws(() => parseRevokeRequest(body), SigninError, JSON.stringify(body));
    }
  });
});
