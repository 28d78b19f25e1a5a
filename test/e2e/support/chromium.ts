// Debian's chromium, driven by playwright-core, and screenshots at desktop and phone sizes.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './build.ts';

export const CHROMIUM = process.env.KEYLESS_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO, 'test-artifacts/e2e');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Deletes an earlier run's screenshots whose names start with one of `prefixes` (other suites keep theirs). */
export function clearScreenshots(prefixes: readonly string[]): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of readdirSync(ARTIFACTS)) {
    if (name.endsWith('.png') && prefixes.some((prefix) => name.startsWith(prefix))) rmSync(join(ARTIFACTS, name));
  }
}

/**
 * Full-page screenshots of the current page: `{name}-desktop.png` and `{name}-phone.png`, or only
 * the sizes asked for. The viewport is put back afterwards.
 */
export async function snapshot(page: Page, name: string, sizes: ReadonlyArray<'desktop' | 'phone'> = ['desktop', 'phone']): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  for (const label of sizes) {
    const size = label === 'desktop' ? DESKTOP : PHONE;
    if (before?.width !== size.width || before.height !== size.height) await page.setViewportSize(size);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true, timeout: 10_000 });
  }
  const after = page.viewportSize();
  if (before && (after?.width !== before.width || after.height !== before.height)) await page.setViewportSize(before);
}
