import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import decodeQR from '@paulmillr/qr/decode.js';
import { qrCode, qrModules, qrPath } from './qr-code.ts';

const URI = 'otpauth://totp/Keyless:alice%40111111111111?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Keyless&algorithm=SHA1&digits=6&period=30';

/** Draws the SVG's viewBox and path back into pixels, the way a scanner sees the picture. */
function rasterise(svg: string, scale = 4): { width: number; height: number; data: Uint8Array } {
  const [minX, minY, size] = /viewBox="(-?\d+) (-?\d+) (\d+) \d+"/.exec(svg)!.slice(1).map(Number) as [number, number, number];
  const dark = new Set<string>();
  for (const [, x, y, run] of /d="([^"]*)"/.exec(svg)![1]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(run); i++) dark.add(`${Number(x) + i},${y}`);
  }
  const width = size * scale;
  const data = new Uint8Array(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const on = dark.has(`${Math.floor(px / scale) + minX},${Math.floor(py / scale) + minY}`);
      data.set(on ? [0, 0, 0, 255] : [255, 255, 255, 255], (py * width + px) * 4);
    }
  }
  return { width, height: width, data };
}

describe('qrCode', () => {
  it('draws an SVG a QR decoder reads back as the otpauth URI', () => {
    assert.equal(decodeQR(rasterise(qrCode(URI, 'QR code').toString())), URI);
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
