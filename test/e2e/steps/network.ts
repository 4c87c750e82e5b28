// The network panel beside the sketchpad: every layer of the bundled model shown for the drawing, and every layer's
// picture changes when another digit is drawn.
import type { FrameLocator } from 'playwright-core';
import { assert, until } from '../runner';
import { runCommand } from '../workbench';
import { frameText, panel, PANEL_TITLES, type SuiteContext } from './common';
import { clearPad, DIGIT_STROKES, drawStrokes, predictionRoundTrips, settledPrediction } from './sketchpad';

/** Layer name → the fingerprint of what the panel draws for it. */
async function layerFingerprints(frame: FrameLocator): Promise<Map<string, string>> {
  const layers = frame.locator('section.layer');
  const entries: [string, string][] = [];
  for (let i = 0; i < (await layers.count()); i++) {
    const layer = layers.nth(i);
    entries.push([
      (await layer.getAttribute('data-layer')) ?? '',
      (await layer.getAttribute('data-fingerprint')) ?? '',
    ]);
  }
  return new Map(entries);
}

async function drawAndSettle(ctx: SuiteContext, digit: number): Promise<void> {
  const frame = await panel(ctx.page, PANEL_TITLES.sketchpad);
  if ((await frameText(frame, '#digit')) !== '–') await clearPad(frame);
  await drawStrokes(ctx.page, frame, DIGIT_STROKES[digit]);
  const predicted = await settledPrediction(frame);
  assert(predicted === String(digit), `drew ${digit}, the sketchpad shows ${predicted}`);
}

export async function networkSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner } = ctx;
  let before = new Map<string, string>();

  await runner.check(
    'network: "MNIST: Show Network" shows every layer of the model for the drawn digit',
    async () => {
      await drawAndSettle(ctx, 7);
      await runCommand(page, 'MNIST: Show Network');
      const frame = await panel(page, PANEL_TITLES.network, 60_000);
      await until(
        'the network status',
        () => frameText(frame, '#status'),
        (t) => t === 'Predicted 7',
        {
          timeoutMs: 60_000,
        },
      );
      before = await layerFingerprints(frame);
      const names = [...before.keys()];
      assert(names.length === 8 && names[0] === 'conv2d' && names[7] === 'dense_1', `layers ${names.join(', ')}`);
      const maps = await frame.locator('section.layer[data-layer="conv2d"] canvas.map').count();
      const filters = await frame.locator('#filters canvas.filter').count();
      const saliency = await frame.locator('#saliency figure').count();
      assert(maps === 32 && filters === 32 && saliency === 4, `maps ${maps}, filters ${filters}, saliency ${saliency}`);
      return `${names.length} layers; conv2d ${maps} feature maps; ${filters} filters; input + 3 saliency maps`;
    },
    120_000,
  );

  await runner.check(
    'network: drawing another digit changes every layer',
    async () => {
      await drawAndSettle(ctx, 0);
      const frame = await panel(page, PANEL_TITLES.network);
      await until(
        'the network status',
        () => frameText(frame, '#status'),
        (t) => t === 'Predicted 0',
        {
          timeoutMs: 30_000,
        },
      );
      const after = await layerFingerprints(frame);
      const unchanged = [...after].filter(([name, print]) => before.get(name) === print).map(([name]) => name);
      assert(after.size === 8 && unchanged.length === 0, `unchanged layers: ${unchanged.join(', ')}`);
      return `all ${after.size} layers changed`;
    },
    120_000,
  );

  await runner.check(
    'network: prediction round trip with the network panel open, 20 requests',
    async () => {
      const frame = await panel(page, PANEL_TITLES.sketchpad);
      const times = await predictionRoundTrips(frame, 20);
      assert(
        times.every((t) => Number.isFinite(t) && t >= 0),
        `round trips ${times.join(', ')}`,
      );
      return `round trip p50 ${times[10]} ms, max ${times[19]} ms (compare with the sketchpad's own check; not a pass/fail limit)`;
    },
    120_000,
  );
}
