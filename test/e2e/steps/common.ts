// What the steps share: their context, and workbench helpers specific to this extension.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { Runner } from '../runner';
import { assert, until } from '../runner';
import { runCommand, screenshot, setTheme, webviewFrame, type ThemeName } from '../workbench';

export interface SuiteContext {
  page: Page;
  runner: Runner;
  /** The folder the workbench has open (fixture PNGs, .vscode/settings.json). */
  workspace: string;
  /** Where the README screenshots go: docs/ for `npm run screenshots`, else the run's temporary folder. */
  screenshotsDir: string;
  /** Facts later steps need. */
  facts: {
    /** Status bar text before any training, e.g. "MNIST 99.2%". */
    bundledStatus?: string;
    /** Test accuracy (percent, 2 decimals) of the model the training step made. */
    trainedAccuracy?: number;
    trainedStatus?: string;
  };
}

export const PANEL_TITLES = {
  sketchpad: 'MNIST Sketchpad',
  training: 'MNIST Training',
  summary: 'MNIST Model Summary',
  evaluation: 'MNIST Evaluation',
  classifyResults: 'Digit Classification',
  network: 'MNIST Network',
} as const;

/** Clears the notification toasts and center, so the next wait sees only new notifications. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page
    .locator('.notification-list-item')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => {});
}

/** The status bar item's text, e.g. "MNIST 99.2%" (the codicon has no text). */
export async function statusBarText(page: Page, timeoutMs = 30_000): Promise<string> {
  const item = page.locator('.statusbar-item').filter({ hasText: /MNIST/ }).first();
  await item.waitFor({ timeout: timeoutMs });
  return ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The percentage in "MNIST 99.2%". */
export function statusAccuracy(text: string): number {
  const match = /MNIST\s+(\d+(?:\.\d+)?)%/.exec(text);
  if (!match) throw new Error(`no accuracy in the status bar text "${text}"`);
  return Number(match[1]);
}

/** Hovers the status bar item and returns its tooltip's text. */
export async function statusBarTooltip(page: Page, timeoutMs = 15_000): Promise<string> {
  const item = page.locator('.statusbar-item').filter({ hasText: /MNIST/ }).first();
  const hover = page
    .locator('.monaco-hover, .workbench-hover')
    .filter({ hasText: /MNIST:/ })
    .first();
  return until(
    'the status bar tooltip',
    async () => {
      await page.mouse.move(0, 0);
      await item.hover({ timeout: 5000 });
      await hover.waitFor({ timeout: 3000 });
      return ((await hover.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    },
    (text) => text.length > 0,
    { timeoutMs },
  );
}

/** The webview document of the panel with this tab title (activating its tab). */
export function panel(page: Page, title: string, timeoutMs = 30_000): Promise<FrameLocator> {
  return webviewFrame(page, title, timeoutMs);
}

/** Text of an element inside a webview (or a page), with blanks collapsed. */
export async function frameText(frame: FrameLocator | Page, selector: string, timeoutMs = 30_000): Promise<string> {
  const element = frame.locator(selector).first();
  await element.waitFor({ timeout: timeoutMs });
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** All editors in one group, no side bar, no bottom panel: each panel gets the whole window (for screenshots). */
export async function tidyLayout(page: Page): Promise<void> {
  await runCommand(page, 'View: Single Column Editor Layout');
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Close Primary Side Bar');
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
  await page
    .locator('.part.panel')
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => {});
}

/**
 * Saves <name>-light.png and <name>-dark.png of the panel with this tab title in the screenshots folder: for
 * each theme the tab is activated, `ready` waits until the webview shows what the README should, then the
 * window is photographed (and the file checked to be a PNG of the window's size). Leaves the light theme on.
 */
export async function panelScreenshots(
  ctx: SuiteContext,
  title: string,
  name: string,
  ready: (frame: FrameLocator) => Promise<void>,
): Promise<string[]> {
  const files: string[] = [];
  await clearNotifications(ctx.page);
  const themes: [ThemeName, string][] = [
    ['Default Light Modern', 'light'],
    ['Default Dark Modern', 'dark'],
  ];
  for (const [theme, suffix] of themes) {
    await setTheme(ctx.page, theme);
    const frame = await panel(ctx.page, title);
    await ready(frame);
    await ctx.page.mouse.move(1, 1); // no hover effects in the picture
    await ctx.page.waitForTimeout(500); // charts and fonts settle after the theme change
    const file = path.join(ctx.screenshotsDir, `${name}-${suffix}.png`);
    await screenshot(ctx.page, file);
    assertWindowPng(file, ctx.page.viewportSize());
    files.push(path.relative(path.dirname(ctx.screenshotsDir), file));
  }
  await setTheme(ctx.page, 'Default Light Modern');
  return files;
}

/** Fails unless `file` is a PNG as large as the window (its IHDR header: width and height after the signature). */
function assertWindowPng(file: string, window: { width: number; height: number } | null): void {
  const header = readFileSync(file).subarray(0, 24);
  const isPng = header.subarray(1, 4).toString('latin1') === 'PNG' && header.subarray(12, 16).toString() === 'IHDR';
  assert(isPng, `${file} is not a PNG image`);
  const [width, height] = [header.readUInt32BE(16), header.readUInt32BE(20)];
  assert(
    !window || (width === window.width && height === window.height),
    `${file} is ${width}x${height} pixels, the window ${window?.width}x${window?.height}`,
  );
}
