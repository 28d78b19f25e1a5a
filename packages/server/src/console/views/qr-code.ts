// A QR code drawn as inline SVG: one path of dark runs, a white quiet zone of four modules
// (ISO/IEC 18004 §6.3.8) kept white in dark mode too, since scanners expect dark on light.
// Presentation attributes only: a `style` attribute would break the CSP.
import encodeQR from '@paulmillr/qr';
import { html, type SafeHtml } from './html.ts';

const QUIET_ZONE = 4;

/** The modules of `text` as rows of booleans (true = dark), error correction level M. */
export const qrModules = (text: string): boolean[][] => encodeQR(text, 'raw', { ecc: 'medium', border: 0 });

/** `M{x} {y}h{n}v1h-{n}z` for every horizontal run of dark modules. */
export function qrPath(modules: boolean[][]): string {
  let path = '';
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      if (!row[x]) {
        x++;
        continue;
      }
      let run = 1;
      while (row[x + run]) run++;
      path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  });
  return path;
}

export function qrCode(text: string, label: string): SafeHtml {
  const modules = qrModules(text);
  const size = modules.length + 2 * QUIET_ZONE;
  return html`<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="${-QUIET_ZONE} ${-QUIET_ZONE} ${size} ${size}" role="img" aria-label="${label}" shape-rendering="crispEdges"><rect x="${-QUIET_ZONE}" y="${-QUIET_ZONE}" width="${size}" height="${size}" fill="#ffffff"/><path fill="#000000" d="${qrPath(modules)}"/></svg>`;
}
