// The official SigV4 test vectors as data (test-vectors.json), checked three ways: our canonical
// request / string to sign / signature equal the published ones, the official signer
// (@smithy/signature-v4) reproduces the published signature, and verifySigV4 accepts the request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  canonicalHeaders,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  hashPayload,
  normalizeHeaders,
  parseQuery,
} from './canonical-request.ts';
import { SigV4Error } from './errors.ts';
import { parseSigV4Authorization } from './parse-authorization.ts';
import { calculateSignature, deriveSigningKey } from './signing-key.ts';
import { stringToSign } from './string-to-sign.ts';
import { distinctHeaders, oracle, sdkRequestOf, SUITE, type WireRequest } from './testing.ts';
import { verifySigV4, type SigV4Request } from './verify.ts';

interface Vector {
  name: string;
  source: string;
  mode: 'header' | 'presigned';
  request: WireRequest;
  sessionToken?: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization?: string;
}

const file = JSON.parse(readFileSync(new URL('./test-vectors.json', import.meta.url), 'utf8')) as {
  region: string;
  service: string;
  amzDate: string;
  vectors: Vector[];
};

/** The request as a server receives it: the vector's headers plus, in header mode, its Authorization. */
function received(vector: Vector): SigV4Request {
  const headers: (readonly [string, string])[] = [...vector.request.headers];
  if (vector.authorization) headers.push(['Authorization', vector.authorization]);
  return {
    method: vector.request.method,
    path: vector.request.path,
    query: vector.request.query,
    headers: distinctHeaders(headers),
    body: Buffer.from(vector.request.body),
  };
}

const scope = { date: file.amzDate.slice(0, 8), region: file.region, service: file.service };

describe('official SigV4 test vectors', () => {
  it('holds the suite across header and presigned forms', () => {
    assert.ok(file.vectors.length >= 35);
    assert.ok(file.vectors.some((v) => v.mode === 'presigned'));
    assert.ok(file.vectors.some((v) => v.sessionToken !== undefined));
  });

  for (const vector of file.vectors) {
    describe(`${vector.name} (${vector.mode})`, () => {
      it('builds the published canonical request, string to sign and signature', () => {
        const request = received(vector);
        const headers = normalizeHeaders(request.headers);
        const params = parseQuery(request.query);
        const { signedHeaders } = parseSigV4Authorization(headers, params);
        const creq = canonicalRequest({
          method: request.method,
          canonicalUri: canonicalUri(request.path, { doubleEncode: true }),
          canonicalQuery: canonicalQueryString(params, { presigned: vector.mode === 'presigned' }),
          canonicalHeaders: canonicalHeaders(headers, signedHeaders),
          signedHeaders,
          payloadHash: hashPayload(request.body),
        });
        assert.equal(creq, vector.canonicalRequest);
        const sts = stringToSign(file.amzDate, scope, creq);
        assert.equal(sts, vector.stringToSign);
        assert.equal(calculateSignature(deriveSigningKey(SUITE.secretAccessKey, scope), sts), vector.signature);
      });

      it('is reproduced by the official signer', async () => {
        const signer = oracle({ applyChecksum: false, ...(vector.sessionToken ? { sessionToken: vector.sessionToken } : {}) });
        const sdk = sdkRequestOf(vector.request);
        if (vector.mode === 'presigned') {
          const query = Object.fromEntries(Object.entries(sdk.query).filter(([name]) => !name.startsWith('X-Amz-')));
          const expiresIn = Number(new URLSearchParams(vector.request.query).get('X-Amz-Expires'));
          const presigned = await signer.presign({ ...sdk, query }, { signingDate: SUITE.date, expiresIn });
          assert.equal(presigned.query?.['X-Amz-Signature'], vector.signature);
        } else {
          const signedHeaders = /SignedHeaders=([^,]+)/.exec(vector.authorization!)![1]!.split(';');
          const unsignableHeaders = new Set(Object.keys(sdk.headers).filter((name) => !signedHeaders.includes(name)));
          const signed = await signer.sign(sdk, { signingDate: SUITE.date, unsignableHeaders });
          assert.equal(signed.headers.authorization, vector.authorization);
        }
      });

      it('is accepted by verifySigV4, from headersDistinct and from rawHeaders', async () => {
        const request = received(vector);
        const raw = [...vector.request.headers, ...(vector.authorization ? [['Authorization', vector.authorization] as const] : [])].flat();
        for (const headers of [request.headers, raw]) {
          const verified = await verifySigV4({ ...request, headers }, {
            now: SUITE.date,
            service: file.service,
            regions: [file.region],
            lookupSecret: async (id) =>
              id === SUITE.accessKeyId
                ? { secretAccessKey: SUITE.secretAccessKey, ...(vector.sessionToken ? { sessionToken: vector.sessionToken } : {}) }
                : undefined,
          });
          assert.equal(verified.accessKeyId, SUITE.accessKeyId);
          assert.equal(verified.region, file.region);
          assert.equal(verified.service, file.service);
          assert.equal(verified.presigned, vector.mode === 'presigned');
          assert.equal(verified.signedAt.getTime(), SUITE.date.getTime());
        }
      });
    });
  }

  it('refuses post-sts-header-after once its token is added unsigned, as the suite does', async () => {
    const vector = file.vectors.find((v) => v.name === 'post-sts-token/post-sts-header-after')!;
    const token = file.vectors.find((v) => v.name === 'post-sts-token/post-sts-header-before')!.sessionToken!;
    const request = received(vector);
    await assert.rejects(
      verifySigV4(
        { ...request, headers: { ...request.headers, 'x-amz-security-token': token } },
        {
          now: SUITE.date,
          service: file.service,
          lookupSecret: async () => ({ secretAccessKey: SUITE.secretAccessKey, sessionToken: token }),
        },
      ),
      (error: unknown) => error instanceof SigV4Error && error.code === 'AccessDenied' && /x-amz-security-token/.test(error.message),
    );
  });
});
