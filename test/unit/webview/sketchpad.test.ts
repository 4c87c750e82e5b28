// The sketchpad's drawing → pixels path, from strokes in the webview to the model's input on the host.
import { strict as assert } from 'node:assert';
import { PNG } from 'pngjs';
import { NoDigitError, pixelsToBase64, toMnistImage } from '../../../src/engine/image/preprocess';
import { DigitClassifier } from '../../../src/engine/classifier';
import { bundledModelDir } from '../../../src/engine/paths';
import { decodeInk, inkToPng, predictionUpdate } from '../../../src/extension/panels/sketchpadData';
import { base64ToBytes, bytesToBase64 } from '../../../src/webview/common/base64';
import { pngFileName } from '../../../src/shared/format';
import {
  addPoint,
  DEFAULT_BRUSH,
  hasInk,
  inkFromRgba,
  toLogical,
  traceStroke,
  type PathSink,
  type Stroke,
} from '../../../src/webview/sketchpad/canvasInk';
import { digitRgba } from '../../../src/webview/common/digitPixels';
import { parseMessage } from '../../../src/shared/messageValidation';
import { SketchpadRequestSchema } from '../../../src/shared/sketchpadProtocol';
import { noiseImages } from '../../fixtures/unlikeDigits';

/** Records the path calls, like a 2D context would receive them. */
function recorder(): PathSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lineWidth: 1,
    lineCap: 'butt',
    lineJoin: 'miter',
    beginPath: () => calls.push('beginPath'),
    moveTo: (x, y) => calls.push(`moveTo ${x},${y}`),
    lineTo: (x, y) => calls.push(`lineTo ${x},${y}`),
    quadraticCurveTo: (cx, cy, x, y) => calls.push(`quad ${cx},${cy} ${x},${y}`),
    arc: (x, y, r) => calls.push(`arc ${x},${y} r${r}`),
    fill: () => calls.push('fill'),
    stroke: () => calls.push('stroke'),
  };
}

/** A thick vertical bar of ink: what drawing a "1" on the 280x280 canvas sends. */
function barInk(side = 280): Uint8Array {
  const ink = new Uint8Array(side * side);
  for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) ink[y * side + x] = 255;
  return ink;
}

describe('sketchpad: strokes', () => {
  it('a tap draws a round dot of the brush size', () => {
    const ctx = recorder();
    traceStroke(ctx, { size: 20, points: [{ x: 50, y: 60 }] });
    assert.deepEqual(ctx.calls, ['beginPath', 'arc 50,60 r10', 'fill']);
  });

  it('a drag draws one smooth path through the midpoints, with round caps and joins', () => {
    const ctx = recorder();
    traceStroke(ctx, {
      size: 12,
      points: [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 10 },
        { x: 20, y: 10 },
      ],
    });
    assert.deepEqual(ctx.calls, [
      'beginPath',
      'moveTo 0,0',
      'quad 10,0 10,5',
      'quad 10,10 15,10',
      'lineTo 20,10',
      'stroke',
    ]);
    assert.equal(ctx.lineWidth, 12);
    assert.equal(ctx.lineCap, 'round');
    assert.equal(ctx.lineJoin, 'round');
  });

  it('keeps points on the canvas and skips ones too close to the last', () => {
    const stroke: Stroke = { size: DEFAULT_BRUSH, points: [] };
    assert.ok(addPoint(stroke, { x: -5, y: 300 }));
    assert.deepEqual(stroke.points, [{ x: 0, y: 280 }]);
    assert.ok(!addPoint(stroke, { x: 0.2, y: 279.9 }));
    assert.ok(addPoint(stroke, { x: 5, y: 270 }));
    assert.equal(stroke.points.length, 2);
  });

  it('maps pointer positions to the fixed logical resolution whatever the on-screen size', () => {
    assert.deepEqual(toLogical(110, 60, { left: 10, top: 10, width: 400, height: 400 }), { x: 70, y: 35 });
    assert.deepEqual(toLogical(300, 300, { left: 0, top: 0, width: 600, height: 600 }, 28), { x: 14, y: 14 });
  });
});

describe('sketchpad: canvas pixels → ink → model input', () => {
  it('takes the ink from the alpha channel, whatever colour the strokes were drawn in', () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 0, 255, 255, 255, 255, 12, 34, 56, 128]);
    assert.deepEqual(Array.from(inkFromRgba(rgba, 3, 1)), [0, 255, 128]);
    assert.throws(() => inkFromRgba(rgba, 2, 2), /RGBA bytes/);
    assert.ok(!hasInk(new Uint8Array(10)));
    assert.ok(hasInk(Uint8Array.of(0, 0, 1)));
  });

  it('base64 round-trips large drawings, and agrees with Node', () => {
    const ink = barInk();
    const text = bytesToBase64(ink);
    assert.equal(text, Buffer.from(ink).toString('base64'));
    assert.deepEqual(base64ToBytes(text), ink);
  });

  it('a drawing the webview sends passes validation, decodes and becomes a centred MNIST digit', () => {
    const message = { type: 'predict', requestId: 7, width: 280, height: 280, ink: bytesToBase64(barInk()) };
    const parsed = parseMessage(SketchpadRequestSchema, message);
    assert.ok(parsed.ok && parsed.message.type === 'predict');
    const data = decodeInk(message.ink, 280, 280);
    assert.ok(data);
    const image = toMnistImage({ data, width: 280, height: 280, channels: 1 });
    assert.equal(image.inverted, false, 'ink is bright on a dark background, like MNIST');
    assert.equal(image.pixels.length, 784);
    assert.ok(image.pixels[14 * 28 + 14] > 0.9, 'the bar runs through the centre');
    assert.equal(image.pixels[14 * 28 + 2], 0);
  });

  it('an empty drawing is "no digit", which the panel reports as "Draw a digit first"', () => {
    const data = decodeInk(bytesToBase64(new Uint8Array(280 * 280)), 280, 280)!;
    assert.throws(() => toMnistImage({ data, width: 280, height: 280, channels: 1 }), NoDigitError);
  });

  it('refuses ink whose decoded size does not match', () => {
    assert.equal(decodeInk(bytesToBase64(new Uint8Array(100)), 10, 11), undefined);
    assert.ok(decodeInk(bytesToBase64(new Uint8Array(110)), 10, 11));
  });

  it('sends the model input back as 784 bytes, clamped to 0..255', () => {
    const pixels = new Float32Array(784);
    pixels[0] = 1;
    pixels[1] = 0.5;
    pixels[2] = 1.7;
    pixels[3] = -0.2;
    const bytes = Buffer.from(pixelsToBase64(pixels), 'base64');
    assert.equal(bytes.length, 784);
    assert.deepEqual(Array.from(bytes.subarray(0, 4)), [255, 128, 255, 0]);
    const rgba = digitRgba(new Uint8Array(bytes));
    assert.deepEqual(Array.from(rgba.subarray(0, 8)), [255, 255, 255, 255, 128, 128, 128, 255]);
  });
});

describe('sketchpad: prediction', () => {
  it('the bundled model reads a bar as a 1; the webview gets the digit, ten probabilities, the likeliest three and the image seen', async () => {
    const classifier = new DigitClassifier(
      { path: bundledModelDir(), kind: 'bundled' },
      () => 'wasm',
      () => [],
    );
    try {
      const image = toMnistImage({ data: barInk(), width: 280, height: 280, channels: 1 });
      const update = predictionUpdate(7, await classifier.classifyImage(image));
      assert.ok(update.type === 'prediction');
      assert.equal(update.requestId, 7);
      assert.equal(update.digit, 1);
      assert.equal(update.probabilities.length, 10);
      assert.ok(Math.abs(update.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      assert.equal(update.top3[0], 1);
      const ranked = update.top3.map((digit) => update.probabilities[digit]);
      assert.ok(ranked[0] >= ranked[1] && ranked[1] >= ranked[2], `top3 not in order: ${ranked.join(', ')}`);
      const others = update.probabilities.filter((_, digit) => !update.top3.includes(digit));
      assert.ok(Math.max(...others) <= ranked[2]);
      assert.deepEqual(Buffer.from(update.image, 'base64'), Buffer.from(image.pixels.map((p) => Math.round(p * 255))));
      assert.equal(update.unsure, undefined, 'a clear bar is a sure 1');
      const [noise] = noiseImages(1, 4);
      const unsure = predictionUpdate(8, await classifier.classifyImage(toMnistImage(noise)));
      assert.ok(unsure.type === 'prediction');
      assert.match(unsure.unsure ?? '', /^this does not look like a digit \(\d or \d\?\)$/);
    } finally {
      classifier.dispose();
    }
  });
});

describe('sketchpad: Save as PNG', () => {
  it('writes black ink on opaque white that decodes back to the same drawing', () => {
    const ink = barInk();
    const png = PNG.sync.read(inkToPng(ink, 280, 280));
    assert.equal(png.width, 280);
    assert.equal(png.height, 280);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * 280 + x) * 4, (y * 280 + x) * 4 + 4));
    assert.deepEqual(at(0, 0), [255, 255, 255, 255]);
    assert.deepEqual(at(140, 140), [0, 0, 0, 255]);
  });

  it('and the saved PNG classifies as the same digit image (dark ink on light is inverted back)', () => {
    const png = PNG.sync.read(inkToPng(barInk(), 280, 280));
    const fromPng = toMnistImage({ data: png.data, width: 280, height: 280, channels: 4 });
    const fromInk = toMnistImage({ data: barInk(), width: 280, height: 280, channels: 1 });
    assert.equal(fromPng.inverted, true);
    assert.deepEqual(Array.from(fromPng.pixels), Array.from(fromInk.pixels));
  });

  it('names the file after the prediction', () => {
    assert.equal(pngFileName(3), 'digit-3.png');
    assert.equal(pngFileName(undefined), 'digit.png');
  });
});
