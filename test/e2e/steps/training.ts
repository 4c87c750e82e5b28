// Steps 3 and 4: "MNIST: Train Model" with tiny workspace settings, then a run that is cancelled.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { assert, log, until } from '../runner';
import { pickQuickInputItem, readOutputChannel, runCommand, waitForNotification } from '../workbench';
import {
  clearNotifications,
  frameText,
  panel,
  panelScreenshots,
  PANEL_TITLES,
  statusAccuracy,
  statusBarText,
  statusBarTooltip,
  tidyLayout,
  type SuiteContext,
} from './common';

/** Workspace settings for a quick run: one epoch on a small subset, on the portable backend. */
export const QUICK_TRAINING = {
  'mnist.training.epochs': 1,
  'mnist.training.batchSize': 32,
  'mnist.training.trainingSubset': 1000,
  'mnist.backend': 'wasm',
};
/** A run long enough to cancel in the middle of its first epoch. */
const LONG_TRAINING = { 'mnist.training.epochs': 3, 'mnist.training.trainingSubset': 30000, 'mnist.backend': 'wasm' };

export function writeWorkspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** The progress notification of the running training (its text and its Cancel button). */
const trainingProgress = (page: Page) =>
  page
    .locator('.notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: /MNIST: Training/ }) })
    .first();

export async function trainingSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner, facts } = ctx;
  let finished = '';

  await runner.check("screenshots: training chart with the bundled model's history (light, dark)", async () => {
    await runCommand(page, 'MNIST: Show Training Chart');
    await tidyLayout(page);
    const files = await panelScreenshots(ctx, PANEL_TITLES.training, 'training', async (frame) => {
      await until(
        'the chart status',
        () => frameText(frame, '#status'),
        (t) => t.startsWith('Training history of the active model'),
        { timeoutMs: 20_000 },
      );
    });
    return files.join(', ');
  });

  await runner.check(
    'train: "MNIST: Train Model" shows progress "Epoch 1/1 · batch …" and finishes',
    async () => {
      // The status bar item appears once the extension is active (after its first command).
      if (!(await page.locator('.statusbar-item', { hasText: 'MNIST' }).first().isVisible()))
        await runCommand(page, 'MNIST: Show Model Summary');
      facts.bundledStatus = await statusBarText(page);
      statusAccuracy(facts.bundledStatus);
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Train Model');
      await pickQuickInputItem(page, 'seed');
      const progress = await waitForNotification(page, /Epoch 1\/1 · batch \d+\/\d+ · loss \d/, 240_000);
      log(`progress: ${progress}`);
      finished = await waitForNotification(page, /training finished/, 300_000);
      const match =
        /^MNIST: training finished — Test accuracy (\d+\.\d\d)% after 1 epoch \(\d+ s\)\. The new model is active\.$/.exec(
          finished,
        );
      assert(match, `final notification "${finished}"`);
      facts.trainedAccuracy = Number(match[1]);
      return `"${progress}" … "${finished}"`;
    },
    420_000,
  );

  await runner.check(
    'train: the output channel "MNIST" logs the backend, the epoch and the test accuracy',
    async () => {
      const text = await readOutputChannel(page, 'MNIST');
      const wanted: [string, RegExp][] = [
        ['training started', /Training started \(process \d+\): .*"epochs":1/],
        ['backend', /Backend: wasm/],
        [
          'epoch line',
          /Epoch 1\/1 · loss \d+\.\d{4} · acc \d+\.\d\d% · val_loss \d+\.\d{4} · val_acc \d+\.\d\d% · \d+ images\/s/,
        ],
        ['test accuracy', new RegExp(`Test accuracy ${facts.trainedAccuracy?.toFixed(2)}% after 1 epoch .*now active`)],
        ['activation time', /Activated in \d+(\.\d)? ms/],
      ];
      const missing = wanted.filter(([, pattern]) => !pattern.test(text)).map(([name]) => name);
      assert(
        !missing.length,
        `missing in the output channel: ${missing.join(', ')}\n--- output channel ---\n${text.split('\n').slice(-30).join('\n')}`,
      );
      return text
        .split('\n')
        .filter((line) => /Activated in|Epoch 1\/1 · loss|Test accuracy/.test(line))
        .map((l) => l.replace(/^\S+ \S+ /, ''))
        .join(' | ');
    },
  );

  await runner.check('train: the training chart shows the finished epoch', async () => {
    const frame = await panel(page, PANEL_TITLES.training);
    const status = await until(
      'the chart status',
      () => frameText(frame, '#status'),
      (t) => t.startsWith('Finished:'),
      { timeoutMs: 20_000 },
    );
    assert(status.includes(`Test accuracy ${facts.trainedAccuracy?.toFixed(2)}%`), `chart status "${status}"`);
    const epochName = await frameText(frame, '#epoch-name');
    const epoch = await frameText(frame, '#epoch');
    const loss = await frameText(frame, '#loss-summary');
    const accuracy = await frameText(frame, '#accuracy-summary');
    const batches = await frameText(frame, '#batch-summary');
    assert(epochName === 'Last run' && epoch === '1 epoch trained', `epoch stat "${epochName}: ${epoch}"`);
    assert(/^Epoch 1: training loss \d+\.\d{4}, validation loss \d+\.\d{4}\.$/.test(loss), `loss summary "${loss}"`);
    assert(/^Epoch 1: training accuracy \d+\.\d\d%/.test(accuracy), `accuracy summary "${accuracy}"`);
    assert(
      /^\d+ points; latest batch loss/.test(batches) && Number(batches.split(' ')[0]) > 5,
      `batch summary "${batches}"`,
    );
    // The epoch charts drew the epoch's points: coloured pixels below the legend (grid and text are grey).
    for (const id of ['#loss', '#accuracy']) {
      const coloured = await frame.locator(id).evaluate((canvas: HTMLCanvasElement) => {
        const top = Math.round(canvas.height * 0.2);
        const data = canvas.getContext('2d')!.getImageData(0, top, canvas.width, canvas.height - top).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (
            data[i + 3] > 128 &&
            Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80
          )
            n++;
        }
        return n;
      });
      assert(coloured >= 4, `the ${id.slice(1)} chart shows no epoch point (${coloured} coloured pixels)`);
    }
    return `${status} · ${loss} · ${batches}`;
  });

  await runner.check('train: the new model is active (status bar and tooltip)', async () => {
    const expected = facts.trainedAccuracy!;
    const text = await until(
      'the status bar',
      () => statusBarText(page),
      (t) => t !== facts.bundledStatus,
      { timeoutMs: 20_000 },
    );
    const shown = statusAccuracy(text);
    assert(Math.abs(shown - expected) <= 0.051, `status bar "${text}", trained model's accuracy ${expected}%`);
    facts.trainedStatus = text;
    const tooltip = await statusBarTooltip(page);
    assert(/MNIST: your trained model/.test(tooltip), `tooltip "${tooltip}"`);
    assert(tooltip.includes(`Test accuracy (recorded in the model): ${expected.toFixed(2)}%`), `tooltip "${tooltip}"`);
    await page.mouse.move(1, 1);
    return `"${facts.bundledStatus}" → "${text}"; tooltip "${tooltip.slice(0, 60)}…"`;
  });

  await runner.check(
    'cancel: a second run is cancelled from its notification; the previous model stays active',
    async () => {
      writeWorkspaceSettings(ctx.workspace, LONG_TRAINING);
      await page.waitForTimeout(2000); // the workbench picks up .vscode/settings.json through its file watcher
      await clearNotifications(page);
      await runCommand(page, 'MNIST: Train Model');
      await pickQuickInputItem(page, 'seed');
      const progress = await waitForNotification(page, /Epoch 1\/3 · batch \d+\/\d+/, 240_000);
      const item = trainingProgress(page);
      await item.hover();
      await item.locator('.monaco-button', { hasText: /^Cancel$/ }).click({ timeout: 10_000 });
      const cancelled = await waitForNotification(page, /training cancelled/, 60_000);
      assert(
        cancelled === 'MNIST: training cancelled. The previous model is still active.',
        `notification "${cancelled}"`,
      );
      const text = await statusBarText(page);
      assert(text === facts.trainedStatus, `status bar "${text}", before the run "${facts.trainedStatus}"`);
      const tooltip = await statusBarTooltip(page);
      assert(
        /MNIST: your trained model/.test(tooltip) &&
          tooltip.includes(`Test accuracy (recorded in the model): ${facts.trainedAccuracy!.toFixed(2)}%`),
        `tooltip "${tooltip}"`,
      );
      await page.mouse.move(1, 1);
      const frame = await panel(page, PANEL_TITLES.training);
      const status = await until(
        'the chart status',
        () => frameText(frame, '#status'),
        (t) => /cancelled/.test(t),
        { timeoutMs: 20_000 },
      );
      const output = await readOutputChannel(page, 'MNIST');
      assert(
        /Training started \(process \d+\): .*"epochs":3/.test(output),
        'the cancelled run did not use the 3-epoch settings',
      );
      assert(
        /Cancelling training…[\s\S]*Training cancelled; the previous model is kept\./.test(output),
        'the output channel does not log the cancellation',
      );
      return `cancelled at "${progress}"; status bar still "${text}"; chart "${status}"`;
    },
    360_000,
  );

  writeWorkspaceSettings(ctx.workspace, QUICK_TRAINING);
}
