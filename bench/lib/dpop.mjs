// DPoP proofs as the AWS SDKs build them (PROTOCOL.md §2, RFC 9449 §4.2): ES256 over a header
// carrying the public JWK and a payload {jti, htm, htu, iat}, signature raw r||s. Written inline
// with node:crypto (as protocol's createDpopProof) but with the header encoded once per key: the
// load generator signs thousands of proofs a second and should spend its CPU on signing only.
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/**
 * A fresh P-256 key pair, private half as a JWK so it can travel to the load generator over IPC.
 * Exported from a re-imported copy, never from the object generateKeyPairSync returns: that
 * export deadlocked this process on Node 20.20 when a GC inside it destroyed the key's
 * generation job (protocol's newDpopKey says more).
 */
export function newDpopKey() {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
}

/** Returns `() => proof` for one key and one endpoint: a new jti and iat on every call. */
export function dpopSigner(privateJwk, htu, htm = 'POST') {
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const jwk = { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y };
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk })).toString('base64url');
  return () => {
    const payload = Buffer.from(JSON.stringify({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) })).toString('base64url');
    const signingInput = `${header}.${payload}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}
