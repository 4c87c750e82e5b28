// Reader for the IDX files MNIST ships in (optionally gzip-compressed).
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { IMAGE_SIDE, IMAGE_SIZE } from '../../shared/mnistImage';
import { errorMessage } from '../../shared/errors';

const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;

export class IdxError extends Error {
  constructor(file: string, problem: string) {
    super(`${basename(file)}: ${problem}`);
    this.name = 'IdxError';
  }
}

export interface DigitSet {
  /** count x 784 grey levels, 0 = background, 255 = ink. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: DigitSet;
  test: DigitSet;
}

function readMaybeGzipped(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new IdxError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new IdxError(file, `is a damaged gzip file (${errorMessage(err)})`);
    }
  }
  return bytes;
}

function header(bytes: Uint8Array, file: string, words: number): number[] {
  if (bytes.length < words * 4) {
    throw new IdxError(file, `is truncated: ${bytes.length} bytes, shorter than its ${words * 4}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(i * 4, false));
}

export function parseImages(bytes: Uint8Array, file = 'images'): { images: Uint8Array; count: number } {
  const [magic, count, rows, cols] = header(bytes, file, 4);
  if (magic !== IMAGES_MAGIC) {
    throw new IdxError(file, `is not an IDX image file (magic number ${magic}, expected ${IMAGES_MAGIC})`);
  }
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new IdxError(file, `has ${rows}x${cols} images, expected ${IMAGE_SIDE}x${IMAGE_SIDE}`);
  }
  const expected = 16 + count * IMAGE_SIZE;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'is truncated' : 'has trailing bytes';
    throw new IdxError(file, `${problem}: ${bytes.length} bytes for ${count} images, expected ${expected}`);
  }
  return { images: bytes.subarray(16), count };
}

export function parseLabels(bytes: Uint8Array, file = 'labels'): Uint8Array {
  const [magic, count] = header(bytes, file, 2);
  if (magic !== LABELS_MAGIC) {
    throw new IdxError(file, `is not an IDX label file (magic number ${magic}, expected ${LABELS_MAGIC})`);
  }
  const expected = 8 + count;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'is truncated' : 'has trailing bytes';
    throw new IdxError(file, `${problem}: ${bytes.length} bytes for ${count} labels, expected ${expected}`);
  }
  const labels = bytes.subarray(8);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new IdxError(file, `label ${bad} is ${labels[bad]}, not a digit 0-9`);
  return labels;
}

export function loadDigitSet(imagesFile: string, labelsFile: string): DigitSet {
  const { images, count } = parseImages(readMaybeGzipped(imagesFile), imagesFile);
  const labels = parseLabels(readMaybeGzipped(labelsFile), labelsFile);
  if (labels.length !== count) {
    throw new IdxError(labelsFile, `has ${labels.length} labels but ${basename(imagesFile)} has ${count} images`);
  }
  return { images, labels, count };
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** A file in `dir`, compressed (`.gz`) or not. */
function locate(dir: string, name: string): string {
  const gz = join(dir, `${name}.gz`);
  return existsSync(gz) ? gz : join(dir, name);
}

export function loadMnist(dataDir: string): Mnist {
  return {
    train: loadDigitSet(locate(dataDir, FILES.trainImages), locate(dataDir, FILES.trainLabels)),
    test: loadDigitSet(locate(dataDir, FILES.testImages), locate(dataDir, FILES.testLabels)),
  };
}

export const MNIST_FILE_NAMES = Object.values(FILES);
