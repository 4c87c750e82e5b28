// Step 5: Model Summary and Evaluate Model show the active (trained) model. Step 6: README screenshots of
// every panel in light and dark themes, taken with the bundled model ("MNIST: Use Bundled Model").
import type { FrameLocator } from 'playwright-core';
import { assert, until } from '../runner';
import { runCommand, waitForNotification } from '../workbench';
import {
  clearNotifications,
  frameText,
  panel,
  panelScreenshots,
  PANEL_TITLES,
  statusAccuracy,
  statusBarText,
  tidyLayout,
  type SuiteContext,
} from './common';
import { clearPad, DIGIT_STROKES, drawStrokes, settledPrediction } from './sketchpad';

/** The summary's metadata list as name → value. */
async function metadata(frame: FrameLocator): Promise<Record<string, string>> {
  const names = await frame.locator('dl.meta dt').allTextContents();
  const values = await frame.locator('dl.meta dd').allTextContents();
  return Object.fromEntries(names.map((name, i) => [name.trim(), (values[i] ?? '').trim()]));
}

async function checkSummary(
  frame: FrameLocator,
  source: string,
  accuracy: (value: string) => boolean,
): Promise<string> {
  const meta = await until(
    'the model summary',
    () => metadata(frame),
    (m) => m.Source === source,
    { timeoutMs: 60_000 },
  );
  assert(accuracy(meta['Test accuracy']), `test accuracy "${meta['Test accuracy']}"`);
  const layers = await frame.locator('table.data-table tbody tr').count();
  const types = (await frame.locator('table.data-table tbody tr td:nth-child(2)').allTextContents()).map((t) =>
    t.trim(),
  );
  const totals = await frameText(frame, 'p.totals');
  const blocks = await frame.locator('ol.diagram li.block').count();
  assert(
    layers >= 7 && types.filter((t) => t === 'Conv2D').length === 3 && types.includes('Dense'),
    `layer types ${JSON.stringify(types)}`,
  );
  assert(totals === 'Total parameters: 93,322 · Trainable: 93,322 · Non-trainable: 0', `totals "${totals}"`);
  assert(blocks === layers + 1, `${blocks} diagram blocks for ${layers} layers`);
  return `${source} · ${meta['Test accuracy']} · ${layers} layers · ${totals}`;
}

/** Waits for the evaluation overview and returns its headline metrics by name. */
async function evaluationMetrics(
  frame: FrameLocator,
  label: RegExp,
  timeoutMs: number,
): Promise<Record<string, string>> {
  return until(
    `the evaluation results for ${label}`,
    async () => {
      const names = await frame.locator('.headline .metric-name').allTextContents();
      const values = await frame.locator('.headline .metric-value').allTextContents();
      const model = (await frame.locator('p.model').allTextContents()).join('').trim();
      const banner = await frame.locator('#banner').isVisible();
      const metrics: Record<string, string> = Object.fromEntries(
        names.map((name, i) => [name.trim(), (values[i] ?? '').trim()]),
      );
      return { ...metrics, model, banner: String(banner) } as Record<string, string>;
    },
    (m) => m.accuracy !== undefined && label.test(m.model) && m.banner === 'false',
    { timeoutMs, intervalMs: 500 },
  );
}

async function checkEvaluation(
  frame: FrameLocator,
  label: RegExp,
  accuracy: (value: number) => boolean,
): Promise<string> {
  const metrics = await evaluationMetrics(frame, label, 240_000);
  const { model } = metrics;
  assert(metrics['test digits'] === '10,000', `test digits "${metrics['test digits']}"`);
  const value = Number(metrics.accuracy.replace('%', ''));
  assert(accuracy(value), `accuracy "${metrics.accuracy}"`);
  const cells = await frame.locator('table.confusion button.heat').count();
  const tabs = (await frame.locator('vscode-tab-header').allTextContents()).map((t) => t.trim());
  assert(cells === 100, `${cells} confusion matrix cells`);
  assert(
    tabs[0] === 'Overview' &&
      /^Misclassified \([\d,]+\)$/.test(tabs[1]) &&
      tabs[2] === 'Training samples' &&
      tabs[3] === 'Robustness',
    `tabs ${JSON.stringify(tabs)}`,
  );
  // The diagonal holds the correct answers: its sum is accuracy x 10,000.
  const diagonal = await frame.locator('table.confusion button.heat.correct').allTextContents();
  const correct = diagonal.reduce((sum, t) => sum + Number(t.replace(/,/g, '') || 0), 0);
  assert(Math.abs(correct / 100 - value) < 0.006, `diagonal sum ${correct} vs accuracy ${value}%`);
  return `${model} · accuracy ${metrics.accuracy} · loss ${metrics.loss} · ${metrics.mistakes} mistakes`;
}

export async function panelSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner, facts } = ctx;
  const trained = () => facts.trainedAccuracy;

  await runner.check(
    'summary: "MNIST: Show Model Summary" shows the trained model\'s layers and metadata',
    async () => {
      await runCommand(page, 'MNIST: Show Model Summary');
      const frame = await panel(page, PANEL_TITLES.summary);
      return checkSummary(frame, 'trained', (a) => trained() !== undefined && a === `${trained()!.toFixed(2)}%`);
    },
  );

  await runner.check(
    'evaluate: "MNIST: Evaluate Model" shows the trained model\'s accuracy on 10,000 test digits',
    async () => {
      await runCommand(page, 'MNIST: Evaluate Model');
      const frame = await panel(page, PANEL_TITLES.evaluation);
      return checkEvaluation(
        frame,
        /^Model: trained · \d+\.\d%$/,
        (a) => trained() !== undefined && Math.abs(a - trained()!) < 0.006,
      );
    },
    300_000,
  );

  await runner.check(
    'evaluate: the Robustness tab reports the clean digits and every corruption',
    async () => {
      const frame = await panel(page, PANEL_TITLES.evaluation);
      await frame.locator('vscode-tab-header', { hasText: 'Robustness' }).click();
      await frame.locator('#run-robustness').click();
      const rows = frame.locator('#robustness .robust-row');
      await until(
        'the robustness rows',
        () => rows.count(),
        (n) => n === 13,
        { timeoutMs: 240_000 },
      );
      const names = await rows.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.corruption));
      const mean = (await frame.locator('#robustness .robust-mean').textContent())?.trim() ?? '';
      assert(names[0] === 'clean' && names.includes('gaussianNoise') && names.includes('darkOnLight'), `${names}`);
      assert(/^Mean over the corruptions: \d+\.\d% · clean: \d+\.\d%/.test(mean), mean);
      await frame.locator('vscode-tab-header', { hasText: 'Overview' }).click();
      return mean;
    },
    300_000,
  );

  await runner.check('bundled: "MNIST: Use Bundled Model" switches back (status bar, summary)', async () => {
    await clearNotifications(page);
    await runCommand(page, 'MNIST: Use Bundled Model');
    await waitForNotification(page, /MNIST: using the bundled model\./);
    const text = await until(
      'the status bar',
      () => statusBarText(page),
      (t) => t !== facts.trainedStatus,
      { timeoutMs: 20_000 },
    );
    assert(
      !facts.bundledStatus || text === facts.bundledStatus,
      `status bar "${text}", at the start "${facts.bundledStatus}"`,
    );
    assert(statusAccuracy(text) >= 99, `status bar "${text}"`);
    const frame = await panel(page, PANEL_TITLES.summary);
    return `${text}; ${await checkSummary(frame, 'bundled', (a) => /^99\.\d\d%$/.test(a))}`;
  });

  await tidyLayout(page).catch(() => {});

  await runner.check('screenshots: model summary (light, dark)', async () => {
    const files = await panelScreenshots(ctx, PANEL_TITLES.summary, 'summary', async (frame) => {
      await until(
        'the summary',
        () => metadata(frame),
        (m) => m.Source === 'bundled',
        { timeoutMs: 30_000 },
      );
    });
    return files.join(', ');
  });

  await runner.check(
    'screenshots: evaluation of the bundled model (light, dark)',
    async () => {
      await runCommand(page, 'MNIST: Evaluate Model'); // the panel said the model changed: evaluate the bundled one
      const frame = await panel(page, PANEL_TITLES.evaluation);
      const result = await checkEvaluation(frame, /^Model: bundled · 99\.\d%$/, (a) => a >= 99);
      // Show a confusion-matrix cell's digits too: the most frequent mistake of the 4s, say.
      await frame.locator('table.confusion button.heat.wrong:not([disabled])').first().click();
      await frame.locator('#cell .gallery canvas').first().waitFor({ timeout: 30_000 });
      const files = await panelScreenshots(ctx, PANEL_TITLES.evaluation, 'evaluation', async (f) => {
        await evaluationMetrics(f, /^Model: bundled/, 60_000);
        await f.locator('#cell .gallery canvas').first().waitFor({ timeout: 30_000 });
      });
      return `${result}; ${files.join(', ')}`;
    },
    300_000,
  );

  await runner.check(
    'screenshots: sketchpad with a drawn 2 (light, dark)',
    async () => {
      const frame = await panel(page, PANEL_TITLES.sketchpad);
      if ((await frameText(frame, '#digit')) !== '–') await clearPad(frame);
      await drawStrokes(page, frame, DIGIT_STROKES[2]);
      const predicted = await settledPrediction(frame);
      assert(predicted === '2', `the bundled model sees ${predicted}`);
      const files = await panelScreenshots(ctx, PANEL_TITLES.sketchpad, 'sketchpad', async (f) => {
        // The webview reloads when its tab is shown again; the strokes come back from its saved state.
        assert((await settledPrediction(f)) === '2', 'the drawing did not survive the tab switch');
      });
      return files.join(', ');
    },
    180_000,
  );

  await runner.check(
    'screenshots: network panel for the drawn 2 (light, dark)',
    async () => {
      await runCommand(page, 'MNIST: Show Network');
      const files = await panelScreenshots(ctx, PANEL_TITLES.network, 'network', async (f) => {
        await until(
          'the network status',
          () => frameText(f, '#status'),
          (t) => t === 'Predicted 2',
          {
            timeoutMs: 30_000,
          },
        );
      });
      return files.join(', ');
    },
    180_000,
  );
}
