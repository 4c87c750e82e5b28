// playwright-core helpers that drive the VS Code workbench served by code-server.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian chromium with a throwaway profile (playwright deletes it on close). */
export async function launchBrowser({
  timeoutMs = 60_000,
  viewport = { width: 1400, height: 900 },
} = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: timeoutMs,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
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
  await page.locator('.explorer-folders-view').waitFor({ timeout: timeoutMs });
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => quickInput(page).locator('.quick-input-box input');

/** open: shown and usable; hidden: not shown at all (neither is true while it fades out, inert). */
function quickInputState(page: Page, value: string): Promise<{ open: boolean; hidden: boolean; sameValue: boolean }> {
  return page.evaluate((expected) => {
    const box = document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input');
    const hidden = !box || box.offsetParent === null;
    return { hidden, open: !hidden && !box!.closest('[inert]'), sameValue: box?.value === expected };
  }, value);
}

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
    // A palette fading out is inert: wait until it is gone (or open) before asking for it.
    let state = await quickInputState(page, '');
    while (!state.open && !state.hidden && Date.now() < deadline) {
      await page.waitForTimeout(50);
      state = await quickInputState(page, '');
    }
    if (!state.open) {
      // Keys typed while a webview has focus stay in its iframe: give the focus back to the workbench.
      await page.evaluate(() => document.activeElement instanceof HTMLIFrameElement && document.activeElement.blur());
      await page.keyboard.press('F1');
      const opened = Date.now() + Math.min(5000, left());
      while (!(await quickInputState(page, '')).open && Date.now() < opened) await page.waitForTimeout(50);
      if (!(await quickInputState(page, '')).open) {
        if (Date.now() >= deadline) throw new Error(`the Command Palette did not open within ${timeoutMs} ms`);
        continue;
      }
    }
    const query = `>${title}`;
    await quickInputBox(page).fill(query, { timeout: left() });
    const row = quickInputRow(page, title);
    if (
      await row.waitFor({ timeout: Math.min(2000, left()) }).then(
        () => true,
        () => false,
      )
    ) {
      await row.click({ timeout: left() });
      // Done when the palette has closed (after its fade-out, while it is inert), or asks the command's next question.
      for (;;) {
        const state = await quickInputState(page, query);
        if (state.hidden || (state.open && !state.sameValue)) break;
        if (Date.now() > deadline) throw new Error(`the palette did not close after running "${title}"`);
        await page.waitForTimeout(50);
      }
      return;
    }
    await page.keyboard.press('Escape');
    while ((await quickInputState(page, '')).open && Date.now() < deadline) await page.waitForTimeout(50);
    if (Date.now() >= deadline) throw new Error(`command "${title}" not in the palette within ${timeoutMs} ms`);
  }
}

/** Picks the row `label` in the quick input that is open (after a command that asks), filtering by it first. */
export async function pickQuickInputItem(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const row = quickInputRow(page, label);
  const within = (action: Promise<unknown>) =>
    action.then(
      () => true,
      () => false,
    );
  // The palette that ran the command fades out (inert) before the command's own question shows in the same widget.
  for (;;) {
    if (
      (await quickInputState(page, '')).open &&
      (await within(quickInputBox(page).fill(label, { timeout: 2000 }))) &&
      (await within(row.waitFor({ timeout: 2000 })))
    ) {
      await row.click({ timeout: Math.max(1, deadline - Date.now()) });
      return;
    }
    if (Date.now() > deadline) throw new Error(`no "${label}" to pick in the quick input within ${timeoutMs} ms`);
    await page.waitForTimeout(50);
  }
}

/**
 * Answers a file dialog (showSaveDialog, showOpenDialog), which VS Code in a browser shows as a quick input holding a
 * path: types `file` (absolute) over the proposed path and accepts it.
 */
export async function answerFileDialog(page: Page, file: string, timeoutMs = 30_000): Promise<void> {
  const box = quickInputBox(page);
  const deadline = Date.now() + timeoutMs;
  await box.waitFor({ timeout: timeoutMs });
  // The dialog puts its proposal in and completes what is typed, both asynchronously: type until the box holds `file`.
  for (;;) {
    await box.fill(file);
    await page.waitForTimeout(500);
    const value = await box.inputValue();
    if (value === file) break;
    if (Date.now() > deadline) throw new Error(`the file dialog holds "${value}", not "${file}"`);
  }
  await box.press('Enter');
  await box.waitFor({ state: 'hidden', timeout: Math.max(1, deadline - Date.now()) });
}

/** Clicks the button `label` of the notification whose text matches `pattern`. */
export async function clickNotificationButton(
  page: Page,
  pattern: RegExp,
  label: string,
  timeoutMs = 30_000,
): Promise<void> {
  await page
    .locator('.notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: pattern }) })
    .first()
    .getByRole('button', { name: label, exact: true })
    .click({ timeout: timeoutMs });
}

/** Texts of the notifications currently shown (toasts and the notification center). */
export async function notifications(page: Page): Promise<string[]> {
  return (await page.locator('.notification-list-item-message').allTextContents()).map((t) => t.trim());
}

/**
 * Waits for a notification whose text matches. Toasts hide themselves after a while; if none shows
 * the text in time, the notification center (which keeps them all) is opened and searched too.
 */
export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const message = page.locator('.notification-list-item-message').filter({ hasText: pattern }).first();
  const seen = (timeout: number) =>
    message.waitFor({ timeout }).then(
      () => true,
      () => false,
    );
  if (!(await seen(timeoutMs))) {
    await runCommand(page, 'Notifications: Show Notifications');
    if (!(await seen(2000))) {
      throw new Error(
        `no notification matching ${pattern} within ${timeoutMs} ms; shown: ${JSON.stringify(await notifications(page))}`,
      );
    }
  }
  return (await message.textContent())?.trim() ?? '';
}

/**
 * The document inside a webview (two iframes deep: `iframe.webview` → `iframe#active-frame`).
 * A string selects a webview editor by its tab title (the tab is activated, and the visible webview
 * inside the editor area is taken); a number is an index among all `iframe.webview` in DOM order
 * (webview views in the side bar, or hidden webviews, included).
 */
export async function webviewFrame(
  page: Page,
  titleOrIndex: string | number = 0,
  timeoutMs = 30_000,
): Promise<FrameLocator> {
  const iframes = page.locator('iframe.webview');
  if (typeof titleOrIndex === 'number')
    return iframes.nth(titleOrIndex).contentFrame().locator('iframe#active-frame').contentFrame();
  const tab = page
    .locator('.part.editor .tab')
    .filter({ has: page.locator('.label-name', { hasText: exactly(titleOrIndex) }) });
  await tab.first().click({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // With split editors several webviews are visible: take the one over the tab's own editor group.
    const group = await tab.first().evaluate((element) => {
      const box = (
        element.closest('.editor-group-container') ?? document.querySelector('.part.editor')!
      ).getBoundingClientRect();
      return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
    });
    // Exactly one visible webview there (a tab switch shows the new one before the old one hides).
    const names = await iframes.evaluateAll(
      (elements, area) =>
        elements
          .filter((element) => {
            const box = element.getBoundingClientRect();
            const x = box.x + box.width / 2,
              y = box.y + box.height / 2;
            return (
              box.width > 0 &&
              getComputedStyle(element).visibility !== 'hidden' &&
              getComputedStyle(element.parentElement!).visibility !== 'hidden' &&
              x > area.left &&
              x < area.right &&
              y > area.top &&
              y < area.bottom
            );
          })
          .map((element) => element.getAttribute('name') ?? ''),
      group,
    );
    // By its name (the webview's id), not its index: iframes come and go as tabs are shown and hidden.
    if (names.length === 1 && names[0])
      return page
        .locator(`iframe.webview[name="${names[0]}"]`)
        .contentFrame()
        .locator('iframe#active-frame')
        .contentFrame();
    if (Date.now() > deadline)
      throw new Error(`no visible webview for the editor "${titleOrIndex}" within ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/** The explorer row for a file or folder name that is visible in the tree. */
export function explorerItem(page: Page, name: string): Locator {
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
}

/**
 * Right-clicks `fileName` in the explorer and clicks the context-menu item `itemLabel`.
 * Exactly `fileName` and the `multiSelect` files are selected first (ctrl-clicks, which open no
 * editor), so the command receives all of them.
 */
export async function explorerContextMenu(
  page: Page,
  fileName: string,
  itemLabel: string,
  { multiSelect = [] as string[], timeoutMs = 30_000 } = {},
): Promise<void> {
  const wanted = new Set([fileName, ...multiSelect]);
  const rows = page.locator('.explorer-folders-view .monaco-list-row');
  await explorerItem(page, fileName).waitFor({ timeout: timeoutMs });
  for (const name of await rows.evaluateAll((els) =>
    els.filter((e) => e.getAttribute('aria-selected') === 'true').map((e) => e.getAttribute('aria-label') ?? ''),
  )) {
    if (!wanted.has(name)) await explorerItem(page, name).click({ modifiers: ['Control'], timeout: timeoutMs });
  }
  for (const name of wanted) {
    const row = explorerItem(page, name);
    if ((await row.getAttribute('aria-selected', { timeout: timeoutMs })) !== 'true')
      await row.click({ modifiers: ['Control'], timeout: timeoutMs });
  }
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu
    .locator('.action-label')
    .filter({ hasText: exactly(itemLabel) })
    .first();
  // Right after the window opens, the menu may not hold the extension's items yet: close it and ask again.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await explorerItem(page, fileName).click({ button: 'right', timeout: timeoutMs });
    if (
      await item.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`no "${itemLabel}" in the context menu of ${fileName}`);
    await page.keyboard.press('Escape');
  }
  await item.hover({ timeout: timeoutMs });
  await item.click({ timeout: timeoutMs });
  // A click that lands while the menu is still settling is ignored; the hovered item is focused, so Enter runs it.
  if (
    !(await menu.waitFor({ state: 'detached', timeout: 1000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached', timeout: timeoutMs });
  }
}

/**
 * Shows the output channel `name` in the Output panel and returns its whole text. The text is
 * copied with Ctrl+A Ctrl+C and read from the clipboard (granted by launchBrowser), because the
 * editor renders only the lines in view; without clipboard access, the visible lines are returned.
 */
export async function readOutputChannel(page: Page, name: string, timeoutMs = 30_000): Promise<string> {
  await runCommand(page, 'Output: Show Output Channels...', timeoutMs);
  await pickQuickInputItem(page, name, timeoutMs);
  await quickInputBox(page).waitFor({ state: 'hidden', timeout: timeoutMs });
  const editor = page.locator('.part.panel .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor({ timeout: timeoutMs });
  const focused = page.locator('.part.panel .monaco-editor.focused');
  // Picking the channel focuses its editor; else click the editor's middle (its top edge does not take focus).
  if (
    !(await focused.waitFor({ timeout: 2000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await editor.click({ timeout: timeoutMs });
    await focused.waitFor({ timeout: timeoutMs });
  }
  const sentinel = `<<clipboard-sentinel-${Date.now()}>>`;
  const canCopy = await page
    .evaluate((text) => navigator.clipboard.writeText(text), sentinel)
    .then(
      () => true,
      () => false,
    );
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  let copied: string | undefined;
  for (let i = 0; canCopy && copied === undefined && i < 50; i++) {
    const text = await page.evaluate(() => navigator.clipboard.readText()).catch(() => sentinel);
    if (text !== sentinel) copied = text;
    else await page.waitForTimeout(100);
  }
  await page.keyboard.press('Escape');
  if (copied !== undefined) return copied;
  return (await editor.locator('.view-line').allTextContents()).join('\n');
}

/** Setting ids of the two default themes; the picker labels them without "Default ". */
export type ThemeName = 'Default Dark Modern' | 'Default Light Modern';

/** Picks the theme in "Preferences: Color Theme" and waits until the workbench wears it. */
export async function setTheme(page: Page, theme: ThemeName, timeoutMs = 30_000): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme', timeoutMs);
  await pickQuickInputItem(page, theme.replace(/^Default /, ''), timeoutMs);
  await quickInputBox(page).waitFor({ state: 'hidden', timeout: timeoutMs });
  const themeClass = theme.includes('Dark') ? 'vs-dark' : 'vs';
  await page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: timeoutMs });
}

/** Saves a PNG of the page or of one element (also inside a webview frame); creates the folder. */
export async function screenshot(target: Page | Locator, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await target.screenshot({ path: file });
}

/** Matches an element whose whole text is `text` (ignoring surrounding blanks). */
function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
