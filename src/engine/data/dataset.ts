// MNIST as normalised Float32 arrays, and batches copied into reused buffers.
import type { DigitSet } from './idx';
import { IMAGE_SIZE } from '../../shared/mnistImage';
import { DIGIT_CLASSES } from '../../shared/mnistImage';

export interface Examples {
  /** count x 784 values in 0..1. */
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
}

export function normalise(set: DigitSet, start = 0, end = set.count): Examples {
  const count = Math.max(0, Math.min(end, set.count) - start);
  const source = set.images.subarray(start * IMAGE_SIZE, (start + count) * IMAGE_SIZE);
  const pixels = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) pixels[i] = source[i] / 255;
  return { pixels, labels: set.labels.subarray(start, start + count), count };
}

export function sliceExamples(examples: Examples, start: number, end: number): Examples {
  return {
    pixels: examples.pixels.subarray(start * IMAGE_SIZE, end * IMAGE_SIZE),
    labels: examples.labels.subarray(start, end),
    count: end - start,
  };
}

/** Fills `pixels` and one-hot `targets` with the examples at `order[from..from+size)`. */
export class BatchBuffer {
  readonly pixels: Float32Array;
  readonly targets: Float32Array;
  /** `shared`: backed by SharedArrayBuffers, for training worker threads to read. */
  constructor(readonly capacity: number, shared = false) {
    const floats = (count: number) => (shared ? new Float32Array(new SharedArrayBuffer(count * 4)) : new Float32Array(count));
    this.pixels = floats(capacity * IMAGE_SIZE);
    this.targets = floats(capacity * DIGIT_CLASSES);
  }

  fill(examples: Examples, order: Uint32Array, from: number, size: number): void {
    this.targets.fill(0, 0, size * DIGIT_CLASSES);
    for (let i = 0; i < size; i++) {
      const index = order[from + i];
      this.pixels.set(examples.pixels.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
      this.targets[i * DIGIT_CLASSES + examples.labels[index]] = 1;
    }
  }
}
