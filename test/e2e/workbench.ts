// playwright-core helpers that drive the VS Code workbench served by code-server.
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian chromium with a throwaway profile (playwright deletes it on close). */
export async function launchBrowser(
  { timeoutMs = 60_000, viewport = { width: 1400, height: 900 } } = {},
): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: timeoutMs,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
  try {
    const context = await browser.newContext({ viewport });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    return { browser, page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Opens the workbench on `folder` and waits until the explorer shows it. */
export async function openWorkbench(page: Page, url: string, folder: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => quickInput(page).locator('.quick-input-box input');

/** A quick-input row whose label is exactly `label`. */
function quickInputRow(page: Page, label: string): Locator {
  return quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
}

/**
 * Runs a command by its palette title (exact, e.g. "Probe: Hello"). Commands of an extension appear
 * only once the extension host is up, so the palette is reopened until the command shows.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  for (;;) {
    if (!(await quickInputBox(page).isVisible())) await page.keyboard.press('F1');
    await quickInputBox(page).fill(`>${title}`, { timeout: left() });
    const row = quickInputRow(page, title);
    if (await row.waitFor({ timeout: Math.min(2000, left()) }).then(() => true, () => false)) {
      await row.click({ timeout: left() });
      return;
    }
    if (Date.now() >= deadline) throw new Error(`command "${title}" not in the palette within ${timeoutMs} ms`);
    await page.keyboard.press('Escape');
    await quickInputBox(page).waitFor({ state: 'hidden', timeout: left() });
  }
}

/** Picks the row `label` in the quick input that is open (after a command that asks), filtering by it first. */
export async function pickQuickInputItem(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  await quickInputBox(page).waitFor({ timeout: timeoutMs });
  await quickInputBox(page).fill(label);
  await quickInputRow(page, label).click({ timeout: timeoutMs });
}

/** Texts of the notifications currently shown (toasts and the notification center). */
export async function notifications(page: Page): Promise<string[]> {
  return (await page.locator('.notification-list-item-message').allTextContents()).map((t) => t.trim());
}

export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const message = page.locator('.notification-list-item-message').filter({ hasText: pattern }).first();
  await message.waitFor({ timeout: timeoutMs }).catch(async (error: Error) => {
    throw new Error(`no notification matching ${pattern} within ${timeoutMs} ms; shown: ${JSON.stringify(await notifications(page))}\n${error.message}`);
  });
  return (await message.textContent())?.trim() ?? '';
}

/**
 * The document inside a webview (two iframes deep). `titleOrIndex` is the editor tab title of a
 * webview panel, or an index among the webview iframes in DOM order.
 */
export function webviewFrame(page: Page, titleOrIndex: string | number = 0): FrameLocator {
  const outer = typeof titleOrIndex === 'number'
    ? page.locator('iframe.webview').nth(titleOrIndex)
    : page.locator(`iframe.webview[title="${titleOrIndex.replace(/"/g, '\\"')}"]`);
  return outer.contentFrame().frameLocator('iframe#active-frame');
}

/** The explorer row for a file or folder name that is visible in the tree. */
export function explorerItem(page: Page, name: string): Locator {
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
}

/**
 * Right-clicks `fileName` in the explorer and clicks the context-menu item `itemLabel`.
 * With `multiSelect`, those files are ctrl-clicked first, so the command receives all of them.
 */
export async function explorerContextMenu(
  page: Page, fileName: string, itemLabel: string, { multiSelect = [] as string[], timeoutMs = 30_000 } = {},
): Promise<void> {
  await explorerItem(page, fileName).click({ timeout: timeoutMs });
  for (const other of multiSelect) await explorerItem(page, other).click({ modifiers: ['Control'], timeout: timeoutMs });
  await explorerItem(page, fileName).click({ button: 'right', timeout: timeoutMs });
  const item = page.locator('.context-view .action-label').filter({ hasText: exactly(itemLabel) });
  await item.first().click({ timeout: timeoutMs });
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: timeoutMs });
}

/** Shows the output channel `name` in the Output panel and returns its whole text. */
export async function readOutputChannel(page: Page, name: string, timeoutMs = 30_000): Promise<string> {
  await runCommand(page, 'Output: Show Output Channels...', timeoutMs);
  await pickQuickInputItem(page, name, timeoutMs);
  const editor = page.locator('.part.panel .monaco-editor').first();
  await editor.waitFor({ timeout: timeoutMs });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

export type ThemeName = 'Default Dark Modern' | 'Default Light Modern';

/** Switches the color theme with "Preferences: Color Theme" and waits for the workbench to repaint. */
export async function setTheme(page: Page, theme: ThemeName, timeoutMs = 30_000): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme', timeoutMs);
  await pickQuickInputItem(page, theme, timeoutMs);
  const themeClass = theme.includes('Dark') ? 'vs-dark' : 'vs';
  await page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: timeoutMs });
}

export async function screenshot(target: Page | Locator, path: string): Promise<void> {
  await target.screenshot({ path });
}

/** Matches an element whose whole text is `text` (ignoring surrounding blanks). */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
