// Read back with jsQR, a decoder of its own: the encoder's package also ships one, but that one
// fails on about one valid code in eight (35 of 300 random otpauth URIs, all read by jsQR), which
// made the MFA end-to-end test fail now and then.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
// jsqr is CommonJS that also sets exports.default: under Node's ESM interop TypeScript types the
// default import as that exports object, so the function is its `default`.
import jsqr from 'jsqr';
import { base32Encode } from '../../crypto/base32.ts';
import { TOTP_SECRET_BYTES } from '../../crypto/totp.ts';
import { otpauthUri } from '../mfa.ts';
import { qrCode, qrModules, qrPath } from './qr-code.ts';

const URI = 'otpauth://totp/Keyless:alice%40111111111111?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Keyless&algorithm=SHA1&digits=6&period=30';

/** Draws the SVG's viewBox and path back into pixels, the way a scanner sees the picture. */
function rasterise(svg: string, scale = 4): { width: number; height: number; data: Uint8ClampedArray } {
  const [minX, minY, size] = /viewBox="(-?\d+) (-?\d+) (\d+) \d+"/.exec(svg)!.slice(1).map(Number) as [number, number, number];
  const dark = new Set<string>();
  for (const [, x, y, run] of /d="([^"]*)"/.exec(svg)![1]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(run); i++) dark.add(`${Number(x) + i},${y}`);
  }
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const on = dark.has(`${Math.floor(px / scale) + minX},${Math.floor(py / scale) + minY}`);
      data.set(on ? [0, 0, 0, 255] : [255, 255, 255, 255], (py * width + px) * 4);
    }
  }
  return { width, height: width, data };
}

const decode = (svg: string) => {
  const { data, width, height } = rasterise(svg);
  return jsqr.default(data, width, height)?.data;
};

describe('qrCode', () => {
  it('draws an SVG a QR decoder reads back as the otpauth URI', () => {
    assert.equal(decode(qrCode(URI, 'QR code').toString()), URI);
  });

  it('every code reads back: 100 random otpauth URIs, as the enrolment page makes them', () => {
    for (let i = 0; i < 100; i++) {
      const account = String(100_000_000_000 + randomBytes(4).readUInt32BE() * 100);
      const uri = otpauthUri({ kind: 'user', name: `user-${i}`, account_id: account }, base32Encode(randomBytes(TOTP_SECRET_BYTES)));
      assert.equal(decode(qrCode(uri, 'QR code').toString()), uri, uri);
    }
  });

  it('has a four-module white quiet zone and one path of runs', () => {
    const svg = qrCode(URI, 'QR code').toString();
    const modules = qrModules(URI).length;
    assert.match(svg, new RegExp(`viewBox="-4 -4 ${modules + 8} ${modules + 8}"`));
    assert.match(svg, /<rect x="-4" y="-4" width="\d+" height="\d+" fill="#ffffff"\/>/);
    assert.equal([...svg.matchAll(/<path /g)].length, 1);
    assert.match(svg, /role="img" aria-label="QR code"/);
  });

  it('turns each run of dark modules into one rectangle', () => {
    assert.equal(qrPath([[true, true, false, true], [false, false, false, false], [false, true, true, true]]), 'M0 0h2v1h-2zM3 0h1v1h-1zM1 2h3v1h-3z');
  });
});
