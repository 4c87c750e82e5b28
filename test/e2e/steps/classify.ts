// Step 2: Explorer → right-click PNG(s) or a JPEG → "Classify Digit": one file, a JPEG, a multi-selection, a corrupt file.
import { assert, until } from '../runner';
import { explorerContextMenu, waitForNotification } from '../workbench';
import { clearNotifications, frameText, panel, PANEL_TITLES, type SuiteContext } from './common';

/** The fixture PNGs the workspace holds, with their digits (see test/fixtures/png/manifest.json). */
export const WORKSPACE_PNGS: Record<string, number | 'corrupt'> = {
  'seven-grey8.png': 7,
  'two-grey-alpha.png': 2,
  'one-rgb.png': 1,
  'zero-rgba.png': 0,
  'four-grey16.png': 4,
  'four-grey8.png': 4,
  'corrupt.png': 'corrupt',
};

/** An image of noise the workspace holds (test/fixtures/unlikeDigits.ts), which the model is not sure of. */
export const WORKSPACE_NOISE = 'noise.png';

/** A camera-like JPEG the workspace holds (test/fixtures/jpeg/): stored turned, upright by its EXIF orientation. */
export const WORKSPACE_JPEG = { file: 'seven-progressive-exif6.jpg', digit: 7 };

/** The severity icon of the notification that shows `text`: "info", "warning" or "error". */
async function severity(ctx: SuiteContext, text: RegExp): Promise<string> {
  const item = ctx.page
    .locator('.notification-list-item')
    .filter({ has: ctx.page.locator('.notification-list-item-message', { hasText: text }) })
    .first();
  const icon = (await item.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
  return /codicon-error/.test(icon)
    ? 'error'
    : /codicon-warning/.test(icon)
      ? 'warning'
      : /codicon-info/.test(icon)
        ? 'info'
        : icon;
}

export async function classifySteps(ctx: SuiteContext): Promise<void> {
  const { page, runner } = ctx;

  await runner.check(
    'classify: one PNG from the Explorer context menu → notification "seven-grey8.png → 7 (NN.N%)"',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, 'seven-grey8.png', 'Classify Digit');
      const text = await waitForNotification(page, /seven-grey8\.png →/, 60_000);
      assert(/^seven-grey8\.png → 7 \(\d{1,3}\.\d%\)$/.test(text), `notification "${text}"`);
      assert((await severity(ctx, /seven-grey8\.png →/)) === 'info', 'the notification is not an information message');
      return `"${text}"`;
    },
    90_000,
  );

  await runner.check(
    `classify: a JPEG from the Explorer context menu (progressive, EXIF-turned) → "${WORKSPACE_JPEG.file} → 7"`,
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, WORKSPACE_JPEG.file, 'Classify Digit');
      const text = await waitForNotification(
        page,
        new RegExp(`${WORKSPACE_JPEG.file.replace(/\./g, '\\.')} →`),
        60_000,
      );
      assert(text.startsWith(`${WORKSPACE_JPEG.file} → ${WORKSPACE_JPEG.digit} (`), `notification "${text}"`);
      return `"${text}"`;
    },
    90_000,
  );

  const selection = ['two-grey-alpha.png', 'one-rgb.png', 'zero-rgba.png', 'four-grey16.png'];
  await runner.check(
    'classify: a multi-selection → results table "Digit Classification" and "MNIST: classified 4 of 4 images."',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, selection[0], 'Classify Digit', { multiSelect: selection.slice(1) });
      const text = await waitForNotification(page, /MNIST: classified/, 60_000);
      assert(text === 'MNIST: classified 4 of 4 images.', `notification "${text}"`);
      const frame = await panel(page, PANEL_TITLES.classifyResults);
      const rows = await until(
        'the results table',
        async () => {
          const files = await frame.locator('tbody tr a.file').allTextContents();
          const digits = await frame.locator('tbody tr .result-digit').allTextContents();
          return files.map((file, i) => `${file.trim()}=${digits[i]?.trim()}`);
        },
        (r) => r.length === selection.length,
        { timeoutMs: 20_000 },
      );
      const expected = [...selection].map((file) => `${file}=${WORKSPACE_PNGS[file]}`);
      assert(
        [...rows].sort().join() === [...expected].sort().join(),
        `table rows ${JSON.stringify(rows)}, expected ${JSON.stringify(expected)}`,
      );
      const summary = await frameText(frame, 'main > p');
      assert(summary === '4 files classified.', `table summary "${summary}"`);
      // A file name in the table opens that file.
      await frame.locator('a.file', { hasText: 'one-rgb.png' }).click();
      await page.locator('.part.editor .tab', { hasText: 'one-rgb.png' }).first().waitFor({ timeout: 20_000 });
      return `${rows.join(', ')}; the link opened one-rgb.png`;
    },
    90_000,
  );

  await runner.check(
    'classify: a corrupt PNG → an error notification naming the file',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, 'corrupt.png', 'Classify Digit');
      const text = await waitForNotification(page, /corrupt\.png: /, 60_000);
      assert(/^MNIST: corrupt\.png: \S/.test(text), `notification "${text}"`);
      assert((await severity(ctx, /corrupt\.png: /)) === 'error', 'the notification is not an error');
      return `"${text}"`;
    },
    90_000,
  );

  await runner.check(
    'classify: after the corrupt file, classifying still works (four-grey8.png → 4)',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, 'four-grey8.png', 'Classify Digit');
      const text = await waitForNotification(page, /four-grey8\.png →/, 60_000);
      assert(/^four-grey8\.png → 4 \(\d{1,3}\.\d%\)$/.test(text), `notification "${text}"`);
      return `"${text}"`;
    },
    90_000,
  );

  await runner.check(
    'classify: an image of noise → a warning that it does not look like a digit',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, WORKSPACE_NOISE, 'Classify Digit');
      const text = await waitForNotification(page, /noise\.png: /, 60_000);
      assert(/^noise\.png: this does not look like a digit \(\d or \d\?\)$/.test(text), `notification "${text}"`);
      assert((await severity(ctx, /noise\.png: /)) === 'warning', 'the notification is not a warning');
      return `"${text}"`;
    },
    90_000,
  );

  await runner.check(
    'classify: a multi-selection with the corrupt file → warning, the table marks only that row',
    async () => {
      await clearNotifications(page);
      await explorerContextMenu(page, 'corrupt.png', 'Classify Digit', { multiSelect: ['seven-grey8.png'] });
      const text = await waitForNotification(page, /MNIST: classified/, 60_000);
      assert(
        text === 'MNIST: classified 1 of 2 images; 1 could not be read (see the results).',
        `notification "${text}"`,
      );
      assert((await severity(ctx, /MNIST: classified/)) === 'warning', 'the notification is not a warning');
      const frame = await panel(page, PANEL_TITLES.classifyResults);
      const errorRows = await until(
        'the error row',
        () => frame.locator('tr.error-row').allTextContents(),
        (r) => r.length === 1,
        { timeoutMs: 20_000 },
      );
      assert(/corrupt\.png/.test(errorRows[0]), `error row "${errorRows[0]}"`);
      const digits = await frame.locator('tbody tr .result-digit').allTextContents();
      assert(digits.join() === '7', `digits of the good rows: ${JSON.stringify(digits)}`);
      return `"${text}"`;
    },
    90_000,
  );
}
