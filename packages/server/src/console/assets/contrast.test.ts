// WCAG 2.x contrast of the stylesheet's colour pairs, in light and dark mode (AA: 4.5 for text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSOLE_CSS } from './console-css.ts';

const variables = (block: string) => Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6});/gi)].map((m) => [m[1]!, m[2]!]));
const [light, dark] = CONSOLE_CSS.split('@media (prefers-color-scheme: dark)').map(variables) as [Record<string, string>, Record<string, string>];

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const PAIRS: Array<[fg: string, bg: string]> = [
  ['text', 'bg'], ['text', 'card'], ['text', 'subtle'], ['muted', 'card'], ['muted', 'subtle'], ['muted', 'bg'],
  ['link', 'card'], ['on-primary', 'primary'], ['on-primary', 'primary-hover'], ['error-text', 'error-bg'],
  ['notice-text', 'notice-bg'], ['badge-text', 'badge-bg'], ['ok-text', 'ok-bg'], ['text', 'tab-active'],
];

describe('colour contrast', () => {
  for (const [mode, vars] of [['light', light], ['dark', { ...light, ...dark }]] as const) {
    for (const [fg, bg] of PAIRS) {
      it(`${mode}: --${fg} on --${bg} ≥ 4.5`, () => {
        assert.ok(vars[fg] && vars[bg], `both defined`);
        const ratio = contrast(vars[fg]!, vars[bg]!);
        assert.ok(ratio >= 4.5, `${vars[fg]} on ${vars[bg]}: ${ratio.toFixed(2)}`);
      });
    }
  }
});
