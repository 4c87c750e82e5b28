// Step 7: Keras files. The first seed's mnist_model.keras, opened with a click in the Explorer, shows its 8 layers in
// the Keras model editor (a damaged file an error naming it); "Use as Active Model" makes it active (status bar, sketchpad). "Export Model as Keras…"
// writes the bundled model through the save dialog, and the export opens in the editor again.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { assert, until } from '../runner';
import { answerFileDialog, clickNotificationButton, explorerItem, runCommand, waitForNotification } from '../workbench';
import {
  clearNotifications,
  frameText,
  panel,
  panelScreenshots,
  PANEL_TITLES,
  statusBarText,
  tidyLayout,
  type SuiteContext,
} from './common';
import { clearPad, DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';

/** The first seed's CNN, written by Keras 3.15.1 (test/fixtures/keras/README.md). */
const SEED_MODEL = 'mnist_model.keras';
const EXPORTED = 'exported_model.keras';
const BROKEN = 'broken.keras';
/** A file's editor tab shows its name and its extension apart: the name is the tab's label-name. */
const tabName = (file: string) => path.parse(file).name;

/** Puts the seed's model file, and a .keras file that is no zip archive, into the workspace (before the workbench opens). */
export function copyKerasModel(repo: string, workspace: string): void {
  copyFileSync(path.join(repo, 'test', 'fixtures', 'keras', 'seed000', SEED_MODEL), path.join(workspace, SEED_MODEL));
  writeFileSync(path.join(workspace, BROKEN), 'not a zip archive');
}

/** The layer table's types, once the editor shows it, and the totals line. */
async function editorLayers(frame: FrameLocator): Promise<{ types: string[]; totals: string; blocks: number }> {
  const types = await until(
    'the layer table',
    async () =>
      (await frame.locator('table.data-table tbody tr td:nth-child(2)').allTextContents()).map((t) => t.trim()),
    (t) => t.length > 0,
    { timeoutMs: 60_000 },
  );
  return {
    types,
    totals: await frameText(frame, 'p.totals'),
    blocks: await frame.locator('ol.diagram li.block').count(),
  };
}

export async function kerasSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner, workspace } = ctx;

  await runner.check(
    `keras: a click on ${SEED_MODEL} in the Explorer opens the Keras model editor with its 8 layers`,
    async () => {
      // From the bundled model; the command also waits until the workbench knows the extension's editors (a click
      // before that opens the text editor).
      await runCommand(page, 'MNIST: Use Bundled Model', 60_000);
      await waitForNotification(page, /MNIST: using the bundled model/);
      await runCommand(page, 'View: Show Explorer');
      await explorerItem(page, SEED_MODEL).click({ timeout: 30_000 });
      const frame = await panel(page, tabName(SEED_MODEL), 60_000);
      const { types, totals, blocks } = await editorLayers(frame);
      const expected = ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense'];
      assert(types.join() === expected.join(), `layer types ${JSON.stringify(types)}`);
      assert(blocks === types.length + 1, `${blocks} diagram blocks for ${types.length} layers`);
      const buttons = (await frame.locator('.actions vscode-button').allTextContents()).map((t) => t.trim());
      assert(buttons.join() === 'Use as Active Model,Evaluate', `buttons ${JSON.stringify(buttons)}`);
      if (process.env.E2E_SCREENSHOTS_DIR) {
        await tidyLayout(page);
        const files = await panelScreenshots(
          ctx,
          tabName(SEED_MODEL),
          'keras',
          async (f) => void (await editorLayers(f)),
        );
        return `${types.length} layers · ${totals}; ${files.join(', ')}`;
      }
      return `${types.length} layers · ${totals}`;
    },
    120_000,
  );

  await runner.check('keras: "Use as Active Model" makes it the active model; the status bar names it', async () => {
    await clearNotifications(page);
    const frame = await panel(page, tabName(SEED_MODEL));
    await frame.locator('.actions vscode-button', { hasText: 'Use as Active Model' }).click();
    await waitForNotification(page, /MNIST: using the model mnist_model\.keras\./, 60_000);
    const text = await until(
      'the status bar',
      () => statusBarText(page),
      (t) => t === `MNIST ${SEED_MODEL}`,
      { timeoutMs: 20_000 },
    );
    return `status bar "${text}"`;
  });

  await runner.check(
    'keras: the sketchpad predicts a drawn 7 with the Keras model',
    async () => {
      await runCommand(page, 'MNIST: Open Sketchpad', 60_000);
      const frame = await panel(page, PANEL_TITLES.sketchpad, 60_000);
      const label = await until(
        'the model label',
        () => frameText(frame, '#model'),
        (t) => t === `Model: ${SEED_MODEL}`,
        { timeoutMs: 30_000 },
      );
      if ((await frameText(frame, '#digit')) !== '–') await clearPad(frame);
      await drawStrokes(page, frame, DIGIT_STROKES[7]);
      const predicted = await settledPrediction(frame);
      const confidence = await frameText(frame, '#confidence');
      await clearPad(frame);
      assert(predicted === '7', `drew 7, the Keras model sees ${predicted} (${confidence})`);
      return `${label}: shows ${predicted}, ${confidence}`;
    },
    90_000,
  );

  await runner.check(
    'keras: "Export Model as Keras…" writes the bundled model through the save dialog; "Open" shows the export',
    async () => {
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Use Bundled Model');
      await waitForNotification(page, /MNIST: using the bundled model/);
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Export Model as Keras…');
      const target = path.join(workspace, EXPORTED);
      await answerFileDialog(page, target);
      const done = /MNIST: exported the bundled model to exported_model\.keras\./;
      const text = await waitForNotification(page, done, 60_000);
      assert(existsSync(target), `${target} was not written`);
      await clickNotificationButton(page, done, 'Open');
      const frame = await panel(page, tabName(EXPORTED), 60_000);
      const { types, totals } = await editorLayers(frame);
      assert(types.filter((t) => t === 'Conv2D').length === 3 && types.includes('Dense'), `layer types ${types}`);
      assert(totals === 'Total parameters: 93,322 · Trainable: 93,322 · Non-trainable: 0', `totals "${totals}"`);
      return `"${text}"; the export shows ${types.length} layers · ${totals}`;
    },
    120_000,
  );

  // Last: a click on another file replaces the preview editors above.
  await runner.check(`keras: ${BROKEN}, no zip archive, shows an error naming it in the editor`, async () => {
    await runCommand(page, 'View: Show Explorer');
    await explorerItem(page, BROKEN).click({ timeout: 30_000 });
    const frame = await panel(page, tabName(BROKEN), 60_000);
    const error = await frameText(frame, 'p.error', 60_000);
    const file = path.join(workspace, BROKEN);
    assert(error.includes(`${file}: is not a readable zip archive`), `error "${error}"`);
    assert((await frame.locator('.actions vscode-button').count()) === 0, 'the editor offers buttons for it');
    return `"${error}"`;
  });
}
