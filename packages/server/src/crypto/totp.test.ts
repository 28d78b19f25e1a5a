import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode } from './base32.ts';
import { hotp, matchTotp, totp, totpStep, type TotpAlgorithm } from './totp.ts';

const RFC6238 = JSON.parse(readFileSync(new URL('./totp-vectors.json', import.meta.url), 'utf8')) as {
  seeds: Record<TotpAlgorithm, string>;
  vectors: Array<{ time: number; step: string } & Record<TotpAlgorithm, string>>;
};

describe('TOTP (RFC 6238 Appendix B)', () => {
  for (const vector of RFC6238.vectors) {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      it(`T = ${vector.time} s, ${algorithm}: ${vector[algorithm]}`, () => {
        assert.equal(totpStep(vector.time * 1000), parseInt(vector.step, 16));
        assert.equal(totp(Buffer.from(RFC6238.seeds[algorithm]), vector.time * 1000, { digits: 8, algorithm }), vector[algorithm]);
      });
    }
  }
});

describe('HOTP (RFC 4226 Appendix D)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => it(`counter ${counter}: ${code}`, () => assert.equal(hotp(Buffer.from('12345678901234567890'), counter), code)));
});

describe('matchTotp', () => {
  const secret = Buffer.from('12345678901234567890');
  const now = 1_111_111_111_000;
  const step = totpStep(now);
  const codeAt = (s: number) => hotp(secret, s);

  it('accepts the current step and one either side, returning the step it matched', () => {
    assert.equal(matchTotp(secret, codeAt(step), now), step);
    assert.equal(matchTotp(secret, codeAt(step - 1), now), step - 1);
    assert.equal(matchTotp(secret, codeAt(step + 1), now), step + 1);
  });

  it('refuses two steps away, wrong codes and malformed input', () => {
    assert.equal(matchTotp(secret, codeAt(step - 2), now), undefined);
    assert.equal(matchTotp(secret, codeAt(step + 2), now), undefined);
    for (const typed of ['', '12345', '1234567', 'abcdef', '12345a', `${codeAt(step)}0`]) assert.equal(matchTotp(secret, typed, now), undefined, typed);
  });

  it('ignores the spaces an app shows in the middle of a code', () => {
    const code = codeAt(step);
    assert.equal(matchTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, now), step);
  });

  it('checks the 6-digit SHA-1 code an authenticator app shows for an RFC 6238 time', () => {
    // The app shows the last 6 digits of the 8-digit vector.
    assert.equal(matchTotp(secret, '050471', now), step);
  });
});

describe('base32 (RFC 4648 §10)', () => {
  const vectors: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
  for (const [plain, encoded] of vectors) {
    it(`"${plain}" ⇄ ${encoded || '(empty)'}`, () => {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded)?.toString(), plain);
      assert.equal(base32Decode(`${encoded.toLowerCase()}====`)?.toString(), plain);
    });
  }
  it('round-trips 20 random bytes and refuses characters outside the alphabet', () => {
    const bytes = Buffer.from('0123456789abcdefghij');
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
    assert.equal(base32Decode('MZXW1'), undefined);
  });
});
