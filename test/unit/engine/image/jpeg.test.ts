// JPEG decoding on camera-like photos of real MNIST digits (test/fixtures/makeJpegFixtures.py: libjpeg through
// Pillow, baseline and progressive, 4:2:0, every EXIF orientation), and on damaged and oversized files.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'jpeg-js';
import { DigitClassifier } from '../../../../src/engine/classifier';
import { decodeImage } from '../../../../src/engine/image/decodeImage';
import { IMAGE_LIMITS, ImageInputError, ImageTooLargeError } from '../../../../src/engine/image/imageInput';
import { decodeJpeg, exifOrientation, orient } from '../../../../src/engine/image/jpeg';
import type { RawImage } from '../../../../src/engine/image/preprocess';
import { bundledModelDir } from '../../../../src/engine/paths';
import { NATIVE_DIR, TEST_BACKEND } from '../../../testBackend';

const DIR = 'test/fixtures/jpeg';

interface Photo {
  file: string;
  label: number;
  orientation: number;
  progressive: boolean;
}

const manifest: { width: number; height: number; photos: Photo[] } = JSON.parse(
  readFileSync(join(DIR, 'manifest.json'), 'utf8'),
);
const read = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

/** Mean absolute difference of the red channel of two RGBA images of one size. */
function meanDifference(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / (a.data.length / 4);
}

/** Whether a JPEG holds `marker` (after 0xFF): SOF0 baseline, SOF2 progressive (never in entropy-coded data). */
const hasMarker = (bytes: Uint8Array, marker: number) =>
  bytes.some((byte, i) => byte === 0xff && bytes[i + 1] === marker);

describe('JPEG images', () => {
  it('the fixtures are what they say: progressive ones have an SOF2 frame, baseline ones SOF0', () => {
    for (const photo of manifest.photos) {
      const bytes = read(photo.file);
      assert.equal(hasMarker(bytes, 0xc2), photo.progressive, photo.file);
      assert.equal(hasMarker(bytes, 0xc0), !photo.progressive, photo.file);
    }
  });

  it('reads the EXIF orientation and shows every photo upright, as its upright twin', () => {
    const upright = new Map<number, RawImage>();
    for (const photo of manifest.photos.filter((p) => p.orientation === 1 && !p.progressive))
      upright.set(photo.label, decodeImage(read(photo.file), photo.file));
    for (const photo of manifest.photos) {
      const image = decodeJpeg(read(photo.file), photo.file);
      assert.deepEqual([image.width, image.height], [manifest.width, manifest.height], photo.file);
      const difference = meanDifference(image, upright.get(photo.label)!);
      assert.ok(difference < 4, `${photo.file}: ${difference.toFixed(1)} grey levels from the upright photo`);
    }
  });

  it('classifies every photo as its digit, through the same preparation as PNGs', async () => {
    const classifier = new DigitClassifier(
      { path: bundledModelDir(), kind: 'bundled' },
      () => TEST_BACKEND,
      () => [NATIVE_DIR],
    );
    try {
      for (const photo of manifest.photos) {
        const result = await classifier.classifyImageBytes(read(photo.file), photo.file);
        assert.equal(result.digit, photo.label, photo.file);
      }
    } finally {
      classifier.dispose();
    }
  });

  it('the turned photos are stored turned: upright only through their orientation', () => {
    const turned = manifest.photos.find((p) => p.orientation === 6)!;
    const stored = orient(decodeJpeg(read(turned.file), turned.file), 8); // the turn undone: the pixels as stored
    assert.deepEqual([stored.width, stored.height], [manifest.height, manifest.width]);
  });

  it('maps all eight orientations the way EXIF defines them', () => {
    // A 3x2 image whose pixels are 1..6 (row by row), one channel.
    const image: RawImage = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2, channels: 1 };
    const shown = (o: number) => {
      const r = orient(image, o);
      return [r.width, r.height, ...r.data];
    };
    assert.deepEqual(shown(1), [3, 2, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(shown(2), [3, 2, 3, 2, 1, 6, 5, 4]);
    assert.deepEqual(shown(3), [3, 2, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(shown(4), [3, 2, 4, 5, 6, 1, 2, 3]);
    assert.deepEqual(shown(5), [2, 3, 1, 4, 2, 5, 3, 6]);
    assert.deepEqual(shown(6), [2, 3, 4, 1, 5, 2, 6, 3]);
    assert.deepEqual(shown(7), [2, 3, 6, 3, 5, 2, 4, 1]);
    assert.deepEqual(shown(8), [2, 3, 3, 6, 2, 5, 1, 4]);
  });

  it('takes orientation 1 when the EXIF block is missing or unreadable', () => {
    assert.equal(exifOrientation(undefined), 1);
    assert.equal(exifOrientation(Uint8Array.from([0, 1, 2, 3])), 1);
  });

  it('names a damaged JPEG: cut in half, or only its headers', () => {
    const whole = read('seven-baseline-exif1.jpg');
    for (const [bytes, what] of [
      [whole.subarray(0, whole.length >> 1), 'cut in half'],
      [whole.subarray(0, 200), 'only its headers'],
    ] as const) {
      assert.throws(
        () => decodeImage(bytes, 'photo.jpg'),
        (err: unknown) => err instanceof ImageInputError && /^photo\.jpg: is a damaged JPEG: \S/.test(err.message),
        what,
      );
    }
  });

  it(`refuses a JPEG wider than ${IMAGE_LIMITS.maxSide} pixels, and one over the byte limit without decoding`, () => {
    const wide = encode({
      data: new Uint8Array((IMAGE_LIMITS.maxSide + 1) * 4),
      width: IMAGE_LIMITS.maxSide + 1,
      height: 1,
    }).data;
    assert.throws(
      () => decodeImage(new Uint8Array(wide), 'wide.jpg'),
      (err: unknown) => err instanceof ImageTooLargeError && /is 4097x1 pixels/.test(err.message),
    );
    const big = new Uint8Array(IMAGE_LIMITS.maxBytes + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    assert.throws(
      () => decodeImage(big, 'big.jpg'),
      (err: unknown) => err instanceof ImageTooLargeError && /the limit is 25 MB/.test(err.message),
    );
  });
});
