// Screenshots of the issue 3 suites, in test-artifacts/e2e/issue3/ at desktop and phone sizes.
// Their own folder, because another suite's clearScreenshots() empties the top level when it
// starts, and node --test runs the files side by side. Each suite clears only its own prefix.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, DESKTOP, PHONE } from '../chromium.ts';

export const ISSUE3_ARTIFACTS = join(ARTIFACTS, 'issue3');

export function clearIssue3Screenshots(prefix: string): void {
  mkdirSync(ISSUE3_ARTIFACTS, { recursive: true });
  for (const name of readdirSync(ISSUE3_ARTIFACTS)) if (name.startsWith(prefix) && name.endsWith('.png')) rmSync(join(ISSUE3_ARTIFACTS, name));
}

/** Full-page `{name}-desktop.png` and `{name}-phone.png`; the viewport is put back afterwards. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ISSUE3_ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(ISSUE3_ARTIFACTS, `${name}-${label}.png`), fullPage: true, timeout: 10_000 });
  }
  if (before) await page.setViewportSize(before);
}
