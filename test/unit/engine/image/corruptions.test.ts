// Each corruption on small images whose answer is known.
import { strict as assert } from 'node:assert';
import {
  CORRUPTIONS,
  corrupt,
  gaussianBlur,
  gaussianNoise,
  impulseNoise,
  invert,
  lowResolution,
  morphology,
  motionBlur,
  rotate,
  scale,
  shear,
  translate,
  type GreyImage,
} from '../../../../src/engine/image/corruptions';
import { seededRandom } from '../../../../src/engine/data/random';

const SIDE = 21; // odd: the centre is a pixel (10, 10)

function image(points: [number, number][], level = 255): GreyImage {
  const pixels = new Uint8Array(SIDE * SIDE);
  for (const [x, y] of points) pixels[y * SIDE + x] = level;
  return { pixels, side: SIDE };
}

/** The pixels at or above `threshold`, as "x,y". */
function inked({ pixels, side }: GreyImage, threshold = 128): string[] {
  const points: string[] = [];
  pixels.forEach((level, i) => level >= threshold && points.push(`${i % side},${Math.floor(i / side)}`));
  return points;
}

const sum = ({ pixels }: GreyImage) => pixels.reduce((a, b) => a + b, 0);
const bar = (from: number, to: number, y = 10): [number, number][] =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, y]);

describe('corruptions', () => {
  it('translate moves the ink by whole pixels', () => {
    assert.deepEqual(inked(translate(image([[10, 10]]), 3, -2)), ['13,8']);
  });

  it('rotate by 90° turns a horizontal bar vertical, about the centre', () => {
    assert.deepEqual(inked(rotate(image(bar(7, 13)), 90)), [
      '10,7',
      '10,8',
      '10,9',
      '10,10',
      '10,11',
      '10,12',
      '10,13',
    ]);
  });

  it('scale 2 doubles a bar about the centre; shear slides rows by their distance from it', () => {
    assert.deepEqual(
      inked(scale(image(bar(8, 12)), 2), 200),
      bar(6, 14).map(([x, y]) => `${x},${y}`),
    );
    assert.deepEqual(inked(shear(image([[10, 14]]), 0.5)), ['12,14']);
  });

  it('dilation grows a pixel into a cross; erosion removes it and keeps a block only at its core', () => {
    assert.deepEqual(inked(morphology(image([[10, 10]]), 'dilate')).sort(), [
      '10,10',
      '10,11',
      '10,9',
      '11,10',
      '9,10',
    ]);
    assert.deepEqual(inked(morphology(image([[10, 10]]), 'erode')), []);
    const block: [number, number][] = [9, 10, 11].flatMap((x) => [9, 10, 11].map((y): [number, number] => [x, y]));
    assert.deepEqual(inked(morphology(image(block), 'erode')), ['10,10']);
  });

  it('blurs spread the ink and keep about as much of it: Gaussian in every direction, motion along its line', () => {
    const dot = image([[10, 10]]);
    const blurred = gaussianBlur(dot, 1.5);
    assert.ok(Math.abs(sum(blurred) - 255) < 15, `ink ${sum(blurred)}`);
    assert.ok(blurred.pixels[10 * SIDE + 12] > 0 && blurred.pixels[12 * SIDE + 10] > 0);
    const moved = motionBlur(dot, 5, 0);
    assert.deepEqual(inked(moved, 1), ['8,10', '9,10', '10,10', '11,10', '12,10']);
  });

  it('Gaussian noise is seeded and centred on the level; impulse noise hits about the share asked for', () => {
    const grey = { pixels: new Uint8Array(SIDE * SIDE).fill(128), side: SIDE };
    const a = gaussianNoise(grey, 20, seededRandom(7));
    assert.deepEqual(a.pixels, gaussianNoise(grey, 20, seededRandom(7)).pixels);
    assert.ok(Math.abs(sum(a) / a.pixels.length - 128) < 3);
    const hit = impulseNoise(grey, 0.2, seededRandom(3)).pixels.filter((l) => l !== 128).length / (SIDE * SIDE);
    assert.ok(Math.abs(hit - 0.2) < 0.05, `${hit}`);
  });

  it('low resolution averages each cell: a one-pixel checkerboard becomes even grey', () => {
    const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (((i % 28) + Math.floor(i / 28)) % 2 ? 255 : 0));
    const low = lowResolution({ pixels, side: 28 }, 7);
    for (const level of low.pixels) assert.ok(Math.abs(level - 128) <= 1, `${level}`);
  });

  it('dark on light inverts every level', () => {
    assert.deepEqual(Array.from(invert(image([[0, 0]])).pixels.subarray(0, 2)), [0, 255]);
  });

  it('every corruption of a 28x28 digit gives a padded picture, the same for the same seed', () => {
    const digit = new Uint8Array(28 * 28);
    for (let y = 6; y < 22; y++) digit[y * 28 + 14] = 255;
    for (const name of CORRUPTIONS) {
      const first = corrupt(name, digit, seededRandom(11));
      assert.equal(first.side, 44, name);
      assert.deepEqual(first.pixels, corrupt(name, digit, seededRandom(11)).pixels, name);
    }
  });
});
