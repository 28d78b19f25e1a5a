import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256Hex } from './sha256.ts';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
  const vectors: Array<[string, string]> = [
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ];
  for (const [input, digest] of vectors) {
    it(`NIST: ${input.length} characters`, () => assert.equal(sha256Hex(input), digest));
  }

  it('agrees with node:crypto at every padding boundary and on multi-byte text', () => {
    for (let length = 0; length <= 130; length++) {
      const text = 'x'.repeat(length);
      assert.equal(sha256Hex(text), nodeSha256(text), `length ${length}`);
    }
    for (let i = 0; i < 200; i++) {
      const text = randomBytes(i % 97).toString('base64') + (i % 3 === 0 ? 'é🙂' : '');
      assert.equal(sha256Hex(text), nodeSha256(text));
    }
  });
});
