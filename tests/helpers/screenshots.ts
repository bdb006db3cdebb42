import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';

/** Kept after the run (gitignored): what a person would have seen, for the closing note of a story test. */
export const SCREENSHOT_ROOT = fileURLToPath(new URL('../../test-results/', import.meta.url));

/**
 * Saves the whole page as `<folder>/<name>-1280.png` and `-360.png` (desktop and phone widths), prints the paths,
 * and puts the page back to the desktop width.
 */
export async function screenshots(page: Page, folder: string, name: string): Promise<string[]> {
  const dir = path.join(SCREENSHOT_ROOT, folder);
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  for (const width of [1280, 360]) {
    await page.setViewport({ width, height: width === 360 ? 740 : 900 });
    // Let the layout settle at the new width (container queries, resize observers) before the picture.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const file = path.join(dir, `${name}-${width}.png`) as `${string}.png`;
    await page.screenshot({ path: file, fullPage: true });
    saved.push(file);
    console.log(`[screenshot] ${path.relative(process.cwd(), file)}`);
  }
  await page.setViewport({ width: 1280, height: 900 });
  return saved;
}
