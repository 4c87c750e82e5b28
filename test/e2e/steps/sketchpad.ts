// Step 1: "MNIST: Open Sketchpad", draw digits with mouse strokes inside the webview, read the prediction.
import type { FrameLocator, Page } from 'playwright-core';

/** Where the sketchpad's elements are: a webview's document, or a browser page (the prediction server's). */
export type SketchpadDocument = FrameLocator | Page;
import { assert, until } from '../runner';
import { runCommand } from '../workbench';
import { frameText, panel, PANEL_TITLES, type SuiteContext } from './common';

/** A stroke: points in canvas fractions (0,0 = top left, 1,1 = bottom right). */
type Stroke = [number, number][];

function ellipse(cx: number, cy: number, rx: number, ry: number, from = -Math.PI / 2, turns = 1.08): Stroke {
  const points: Stroke = [];
  for (let i = 0; i <= 40; i++) {
    const a = from + (i / 40) * turns * 2 * Math.PI;
    points.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return points;
}

/** Digits drawn the way people draw them on a pad, with the default (thick) brush. */
export const DIGIT_STROKES: Record<number, Stroke[]> = {
  1: [
    [
      [0.52, 0.2],
      [0.5, 0.8],
    ],
  ],
  7: [
    [
      [0.3, 0.24],
      [0.7, 0.24],
      [0.46, 0.8],
    ],
  ],
  0: [ellipse(0.5, 0.5, 0.17, 0.28)],
  4: [
    [
      [0.36, 0.2],
      [0.32, 0.55],
      [0.7, 0.55],
    ],
    [
      [0.6, 0.22],
      [0.6, 0.82],
    ],
  ],
  2: [
    [
      [0.32, 0.34],
      [0.38, 0.24],
      [0.5, 0.2],
      [0.62, 0.24],
      [0.66, 0.34],
      [0.62, 0.46],
      [0.32, 0.78],
      [0.7, 0.78],
    ],
  ],
};

/** Intermediate points every ~1/50 of the canvas, so the stroke is a smooth line of pointer moves. */
function densify(stroke: Stroke): Stroke {
  const points: Stroke = [stroke[0]];
  for (let i = 1; i < stroke.length; i++) {
    const [x0, y0] = stroke[i - 1];
    const [x1, y1] = stroke[i];
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 50));
    for (let k = 1; k <= n; k++) points.push([x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n]);
  }
  return points;
}

/**
 * Draws strokes with the page's mouse on the sketchpad's canvas. The canvas' bounding box from a frame locator is in
 * page coordinates (the two iframes' offsets compose), so page.mouse lands on it.
 */
export async function drawStrokes(page: Page, frame: SketchpadDocument, strokes: Stroke[]): Promise<void> {
  const canvas = frame.locator('#pad');
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  assert(
    box && box.width > 100 && box.height > 100,
    `the sketchpad canvas is not visible (box ${JSON.stringify(box)})`,
  );
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of strokes) {
    const points = densify(stroke);
    await page.mouse.move(...at(points[0]));
    await page.mouse.down();
    for (const point of points.slice(1)) await page.mouse.move(...at(point));
    await page.mouse.up();
  }
}

export async function clearPad(frame: FrameLocator): Promise<void> {
  await frame.locator('#clear').click();
  await until(
    'the sketchpad clears',
    () => frameText(frame, '#digit'),
    (text) => text === '–',
    { timeoutMs: 10_000 },
  );
}

/** The digit the panel shows once it stops changing (live mode predicts while drawing). */
export async function settledPrediction(frame: SketchpadDocument, timeoutMs = 30_000): Promise<string> {
  let previous = '';
  let since = Date.now();
  return until(
    'a settled prediction',
    async () => {
      const text = await frameText(frame, '#digit');
      if (text !== previous) {
        previous = text;
        since = Date.now();
      }
      return text;
    },
    (text) => /^\d$/.test(text) && Date.now() - since >= 1200,
    { timeoutMs, intervalMs: 150 },
  );
}

/** Alpha of the pad's pixel at a point given in canvas fractions. */
async function inkAt(frame: FrameLocator, x: number, y: number): Promise<number> {
  return frame.locator('#pad').evaluate(
    (canvas: HTMLCanvasElement, [fx, fy]) => {
      const context = canvas.getContext('2d')!;
      return context.getImageData(Math.round(fx * canvas.width), Math.round(fy * canvas.height), 1, 1).data[3];
    },
    [x, y] as const,
  );
}

/** The round-trip times (ms, sorted) of `count` predictions asked for with the Predict button. */
export async function predictionRoundTrips(frame: FrameLocator, count: number): Promise<number[]> {
  const digit = frame.locator('#digit');
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = Number(await digit.getAttribute('data-predictions'));
    await frame.locator('#predict').click();
    await until(
      'the next prediction',
      async () => Number(await digit.getAttribute('data-predictions')),
      (n) => n > before,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    times.push(Number(await digit.getAttribute('data-round-trip-ms')));
  }
  return times.sort((a, b) => a - b);
}

export async function sketchpadSteps(ctx: SuiteContext): Promise<void> {
  const { page, runner } = ctx;
  let frame: FrameLocator | undefined;

  await runner.check('sketchpad: "MNIST: Open Sketchpad" opens the panel with the active model', async () => {
    await runCommand(page, 'MNIST: Open Sketchpad', 60_000);
    frame = await panel(page, PANEL_TITLES.sketchpad, 60_000);
    const label = await until(
      'the model label',
      () => frameText(frame!, '#model'),
      (t) => /^Model: bundled · \d+\.\d%$/.test(t),
      { timeoutMs: 60_000 },
    );
    return label;
  });

  await runner.check('sketchpad: a mouse stroke lands on the canvas where it was drawn', async () => {
    frame = await panel(page, PANEL_TITLES.sketchpad);
    await drawStrokes(page, frame, [
      [
        [0.2, 0.5],
        [0.4, 0.5],
      ],
    ]);
    const on = await inkAt(frame, 0.3, 0.5);
    const off = await inkAt(frame, 0.3, 0.2);
    assert(on > 0 && off === 0, `ink alpha on the stroke ${on}, away from it ${off}`);
    await clearPad(frame);
    assert((await inkAt(frame, 0.3, 0.5)) === 0, 'Clear left ink on the canvas');
    return `alpha ${on} on the stroke, 0 beside it and after Clear`;
  });

  for (const digit of [1, 7, 0, 4, 2]) {
    await runner.check(
      `sketchpad: a drawn ${digit} is predicted as ${digit}`,
      async () => {
        frame = await panel(page, PANEL_TITLES.sketchpad);
        await drawStrokes(page, frame, DIGIT_STROKES[digit]);
        const predicted = await settledPrediction(frame);
        const confidence = await frameText(frame, '#confidence');
        const bars = await frame.locator('#bars li').count();
        const top = await frame.locator('#bars li.top').count();
        await clearPad(frame);
        assert(predicted === String(digit), `drew ${digit}, the panel shows ${predicted} (${confidence})`);
        assert(bars === 10 && top === 3, `expected 10 probability bars with 3 marked, got ${bars} and ${top}`);
        return `shows ${predicted}, ${confidence}`;
      },
      60_000,
    );
  }

  await runner.check(
    'sketchpad: prediction round trip (webview → extension host → webview), 20 requests',
    async () => {
      frame = await panel(page, PANEL_TITLES.sketchpad);
      await drawStrokes(page, frame, DIGIT_STROKES[7]);
      await settledPrediction(frame);
      const times = await predictionRoundTrips(frame, 20);
      await clearPad(frame);
      assert(
        times.every((t) => Number.isFinite(t) && t >= 0),
        `round trips ${times.join(', ')}`,
      );
      return `round trip p50 ${times[10]} ms, max ${times[19]} ms (on this machine; not a pass/fail limit)`;
    },
    120_000,
  );
}
