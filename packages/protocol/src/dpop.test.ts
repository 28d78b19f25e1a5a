// The client's DPoP key and proofs against the server's verifier (RFC 9449 §4.3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDpopProof, jwkThumbprint, newDpopKey, verifyDpopProof, type EcPublicJwk } from './dpop.ts';

const HTU = 'https://signin.example.com/v1/token';

describe('newDpopKey', () => {
  it('is a private P-256 key whose proofs verify, bound to its own thumbprint', () => {
    const key = newDpopKey();
    assert.equal(key.type, 'private');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const { kty, crv, x, y } = key.export({ format: 'jwk' });
    const now = Math.floor(Date.now() / 1000);
    const proof = createDpopProof({ privateKey: key, htm: 'POST', htu: HTU, now });
    const verified = verifyDpopProof(proof, { htm: 'POST', htu: [HTU], now });
    assert.equal(verified.jkt, jwkThumbprint({ kty, crv, x, y } as EcPublicJwk));
  });

  it('is new every time', () => {
    const [a, b] = [newDpopKey(), newDpopKey()];
    assert.notEqual(a.export({ format: 'jwk' }).d, b.export({ format: 'jwk' }).d);
  });
});
